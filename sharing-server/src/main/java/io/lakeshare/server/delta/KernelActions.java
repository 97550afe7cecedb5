package io.lakeshare.server.delta;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.util.VectorUtils;
import io.lakeshare.protocol.model.DeletionVector;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads deletion vectors and tags out of Kernel's rows and vectors of file actions. */
final class KernelActions {
  private KernelActions() {}

  /** The descriptor in the log's own form. */
  static DeletionVector deletionVector(DeletionVectorDescriptor d) {
    return new DeletionVector(
        d.getStorageType(),
        d.getPathOrInlineDv(),
        d.getOffset().orElse(null),
        d.getSizeInBytes(),
        d.getCardinality(),
        null);
  }

  /** Where an on-disk vector's file lives, resolved as Kernel resolves it; null when inline. */
  static String deletionVectorPath(DeletionVectorDescriptor d, String tableRoot) {
    return d.isOnDisk() ? d.getAbsolutePath(tableRoot) : null;
  }

  static DeletionVectorDescriptor descriptor(Row add, int ordinal) {
    return ordinal < 0 || add.isNullAt(ordinal)
        ? null
        : DeletionVectorDescriptor.fromRow(add.getStruct(ordinal));
  }

  static DeletionVectorDescriptor descriptor(ColumnVector action, int ordinal, int row) {
    if (ordinal < 0) {
      return null;
    }
    ColumnVector dv = action.getChild(ordinal);
    return dv.isNullAt(row) ? null : DeletionVectorDescriptor.fromColumnVector(dv, row);
  }

  static Map<String, String> tags(Row add, int ordinal) {
    return ordinal < 0 || add.isNullAt(ordinal) ? null : map(add.getMap(ordinal));
  }

  static Map<String, String> tags(ColumnVector action, int ordinal, int row) {
    if (ordinal < 0) {
      return null;
    }
    ColumnVector v = action.getChild(ordinal);
    return v.isNullAt(row) ? null : map(v.getMap(row));
  }

  static Long optionalLong(Row r, int ordinal) {
    return ordinal < 0 || r.isNullAt(ordinal) ? null : r.getLong(ordinal);
  }

  static Long optionalLong(ColumnVector action, int ordinal, int row) {
    if (ordinal < 0) {
      return null;
    }
    ColumnVector v = action.getChild(ordinal);
    return v.isNullAt(row) ? null : v.getLong(row);
  }

  static Boolean optionalBoolean(ColumnVector action, int ordinal, int row) {
    if (ordinal < 0) {
      return null;
    }
    ColumnVector v = action.getChild(ordinal);
    return v.isNullAt(row) ? null : v.getBoolean(row);
  }

  private static Map<String, String> map(MapValue m) {
    Map<String, String> out = new LinkedHashMap<>(VectorUtils.<String, String>toJavaMap(m));
    return out.isEmpty() ? null : out;
  }
}
