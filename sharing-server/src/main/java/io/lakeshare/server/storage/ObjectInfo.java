package io.lakeshare.server.storage;

/**
 * One object of a store.
 *
 * @param location full URI in the same scheme and spelling as the listed location
 * @param size bytes
 * @param modificationTime epoch milliseconds
 */
public record ObjectInfo(String location, long size, long modificationTime) {}
