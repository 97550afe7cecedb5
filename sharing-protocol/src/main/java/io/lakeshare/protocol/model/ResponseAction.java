package io.lakeshare.protocol.model;

/**
 * One NDJSON line of a metadata, query or changes answer, in the parquet response format
 * (CONFORMANCE §3.3: {@link Protocol}, {@link Metadata}, {@link FileAction}) or in the delta
 * response format (§3.4: {@link DeltaProtocol}, {@link DeltaMetadata}, {@link DeltaFileAction}),
 * plus the {@link EndStreamAction} both formats share. Each line is a wrapper object with exactly
 * one key.
 */
public sealed interface ResponseAction
    permits ProtocolLine, MetadataLine, FileAction, DeltaFileAction, EndStreamAction {}
