package io.lakeshare.server.demo;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel columnar batch over a list of vectors. Implements the column add/remove operations because
 * {@code Transaction.transformLogicalData} drops partition columns through them and the interface's
 * defaults throw.
 */
final class ListColumnarBatch implements ColumnarBatch {
  private final StructType schema;
  private final List<ColumnVector> vectors;
  private final int size;

  ListColumnarBatch(StructType schema, List<ColumnVector> vectors, int size) {
    if (schema.length() != vectors.size()) {
      throw new IllegalArgumentException(
          "schema has " + schema.length() + " fields but " + vectors.size() + " vectors given");
    }
    for (ColumnVector vector : vectors) {
      if (vector.getSize() != size) {
        throw new IllegalArgumentException(
            "vector of size " + vector.getSize() + " in a batch of size " + size);
      }
    }
    this.schema = schema;
    this.vectors = List.copyOf(vectors);
    this.size = size;
  }

  @Override
  public StructType getSchema() {
    return schema;
  }

  @Override
  public ColumnVector getColumnVector(int ordinal) {
    return vectors.get(ordinal);
  }

  @Override
  public int getSize() {
    return size;
  }

  @Override
  public ColumnarBatch withNewColumn(int ordinal, StructField field, ColumnVector vector) {
    List<StructField> fields = new ArrayList<>(schema.fields());
    fields.add(ordinal, field);
    List<ColumnVector> newVectors = new ArrayList<>(vectors);
    newVectors.add(ordinal, vector);
    return new ListColumnarBatch(new StructType(fields), newVectors, size);
  }

  @Override
  public ColumnarBatch withDeletedColumnAt(int ordinal) {
    List<StructField> fields = new ArrayList<>(schema.fields());
    fields.remove(ordinal);
    List<ColumnVector> newVectors = new ArrayList<>(vectors);
    newVectors.remove(ordinal);
    return new ListColumnarBatch(new StructType(fields), newVectors, size);
  }

  @Override
  public ColumnarBatch withNewSchema(StructType newSchema) {
    return new ListColumnarBatch(newSchema, vectors, size);
  }
}
