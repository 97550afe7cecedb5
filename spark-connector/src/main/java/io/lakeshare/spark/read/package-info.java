/** Reading shared data files over pre-signed HTTP(S) URLs that may expire mid-read. */
package io.lakeshare.spark.read;
