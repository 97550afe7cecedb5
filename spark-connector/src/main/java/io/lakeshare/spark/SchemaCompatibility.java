package io.lakeshare.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Type equality that ignores nullability, which a stream may see relaxed or tightened. */
final class SchemaCompatibility {
  private SchemaCompatibility() {}

  static boolean sameIgnoringNullability(DataType a, DataType b) {
    if (a instanceof StructType sa && b instanceof StructType sb) {
      if (sa.length() != sb.length()) {
        return false;
      }
      for (int i = 0; i < sa.length(); i++) {
        StructField fa = sa.fields()[i];
        StructField fb = sb.fields()[i];
        if (!fa.name().equalsIgnoreCase(fb.name())
            || !sameIgnoringNullability(fa.dataType(), fb.dataType())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof ArrayType aa && b instanceof ArrayType ab) {
      return sameIgnoringNullability(aa.elementType(), ab.elementType());
    }
    if (a instanceof MapType ma && b instanceof MapType mb) {
      return sameIgnoringNullability(ma.keyType(), mb.keyType())
          && sameIgnoringNullability(ma.valueType(), mb.valueType());
    }
    return a.equals(b);
  }
}
