/** Spark DataSource V2 connector for Delta Sharing; batch reads arrive with the connector issue. */
package io.lakeshare.spark;
