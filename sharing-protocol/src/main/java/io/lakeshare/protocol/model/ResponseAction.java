package io.lakeshare.protocol.model;

/**
 * One NDJSON line of a metadata, query or changes answer in the parquet response format
 * (CONFORMANCE §3.3). Each line is a wrapper object with exactly one key.
 */
public sealed interface ResponseAction permits Protocol, Metadata, FileAction, EndStreamAction {}
