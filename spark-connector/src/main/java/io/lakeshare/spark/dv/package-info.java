/**
 * Delta deletion vectors in the read path: loading the rows a descriptor deletes ({@link
 * io.lakeshare.spark.dv.DeletionVectorLoader}) and keeping only the selected rows of what Spark's
 * Parquet reader produces ({@link io.lakeshare.spark.dv.BatchSelection}, {@link
 * io.lakeshare.spark.dv.RowSelection}).
 */
package io.lakeshare.spark.dv;
