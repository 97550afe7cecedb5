package io.lakeshare.server.demo;

import java.nio.file.Path;

/**
 * What {@link DemoTable#write(Path)} produced: the table's root folder, its newest version and the
 * number of rows that version holds.
 */
public record DemoInfo(Path tableRoot, long latestVersion, long rowCount) {}
