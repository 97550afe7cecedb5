package io.lakeshare.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a regular file below a table root so that nothing outside the root can be opened, even
 * while someone who can write inside the table swaps its directories for symlinks.
 *
 * <p>Why a walk, not "resolve the real path, check it, open it": the check and the open name the
 * file twice, and a directory swapped for a symlink in between redirects the open. Java cannot
 * {@code fstat} an open {@link FileChannel}, so "open, then compare the opened file's inode with
 * the checked one" is not available without reflection into the JDK. Instead the path is walked one
 * component at a time through open directory handles ({@link SecureDirectoryStream}: {@code openat}
 * and {@code fstatat} relative to a directory descriptor), every step with {@code O_NOFOLLOW}. Each
 * handle is a directory that was inside the root when it was opened, so whatever is renamed or
 * swapped later, the next open is relative to it and cannot follow a link anywhere: a component
 * swapped for a symlink after it was examined makes the open fail, and the request is refused.
 *
 * <p>Symlinks inside a table are still honoured, as Unix resolves them but confined: a link's text
 * is read and its components are walked the same way from the handles already held, {@code ..} pops
 * back to the parent handle and may not rise above the root, an absolute target must lie under the
 * root (either spelling of it), and at most {@value #MAX_LINKS} links are followed. Reading the
 * link text goes by name and may race, but a text read from elsewhere only changes which names are
 * walked next, never where the walk may go.
 *
 * <p>Where the platform offers no {@link SecureDirectoryStream} (Windows), the earlier check of the
 * real path followed by an open is used, with a warning once: that path has the window described
 * above.
 */
final class ConfinedFileOpener {

  /** Links followed per lookup, as Linux's own limit for one path resolution. */
  static final int MAX_LINKS = 40;

  private static final Logger LOG = LoggerFactory.getLogger(ConfinedFileOpener.class);
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static volatile boolean warned;

  /** The file found: its attributes, and an open channel when one was asked for. */
  record Opened(FileChannel channel, BasicFileAttributes attributes) {}

  /** The path leads outside the root, to something not a regular file, or nowhere. */
  static final class NotConfinedException extends IOException {
    NotConfinedException(String message) {
      super(message);
    }
  }

  private ConfinedFileOpener() {}

  /**
   * Looks up, and with {@code open} also opens, the regular file at {@code relative} below {@code
   * root}.
   *
   * @param root absolute, normalized root of the table as configured (it may itself be a symlink:
   *     the root is trusted, only what lies below it is not)
   * @param relative a relative path below the root; its components are walked as written
   * @param open whether to open the file ({@code false} for {@code HEAD})
   * @throws NotConfinedException if the path does not lead to a regular file inside the root
   * @throws IOException if the file system refuses a step (including a swap detected mid-walk)
   */
  static Opened open(Path root, Path relative, boolean open) throws IOException {
    Path realRoot = root.toRealPath();
    DirectoryStream<Path> top = Files.newDirectoryStream(realRoot);
    if (!(top instanceof SecureDirectoryStream<Path> secureTop)) {
      top.close();
      return openByRealPath(root, realRoot, relative, open);
    }
    Walk walk = new Walk(root, realRoot, secureTop);
    try {
      return walk.run(relative, open);
    } finally {
      walk.close();
    }
  }

  /** The directory handles held during one lookup, from the root down. */
  private static final class Walk implements Closeable {
    private final Path root;
    private final Path realRoot;
    private final Deque<SecureDirectoryStream<Path>> handles = new ArrayDeque<>();
    private final List<String> names = new ArrayList<>();

    Walk(Path root, Path realRoot, SecureDirectoryStream<Path> rootHandle) {
      this.root = root;
      this.realRoot = realRoot;
      handles.push(rootHandle);
    }

    Opened run(Path relative, boolean open) throws IOException {
      Deque<String> pending = new ArrayDeque<>();
      addFirst(pending, relative);
      int links = 0;
      while (!pending.isEmpty()) {
        String name = pending.removeFirst();
        if (name.isEmpty() || name.equals(".")) {
          continue;
        }
        if (name.equals("..")) {
          up();
          continue;
        }
        SecureDirectoryStream<Path> dir = handles.peek();
        Path child = Path.of(name);
        BasicFileAttributes attributes =
            dir.getFileAttributeView(child, BasicFileAttributeView.class, NOFOLLOW)
                .readAttributes();
        if (attributes.isSymbolicLink()) {
          if (++links > MAX_LINKS) {
            throw new NotConfinedException("Too many symbolic links");
          }
          follow(Files.readSymbolicLink(currentPath().resolve(child)), pending);
        } else if (pending.isEmpty()) {
          if (!attributes.isRegularFile()) {
            throw new NotConfinedException("Not a regular file");
          }
          return new Opened(open ? openFile(dir, child) : null, attributes);
        } else if (attributes.isDirectory()) {
          // O_NOFOLLOW: a directory swapped for a link since fstatat makes this fail.
          handles.push((SecureDirectoryStream<Path>) dir.newDirectoryStream(child, NOFOLLOW));
          names.add(name);
        } else {
          throw new NotConfinedException("Not a directory");
        }
      }
      throw new NotConfinedException("The path names a directory");
    }

    /** Queues a link's target in front of what remains, restarting at the root if absolute. */
    private void follow(Path target, Deque<String> pending) throws IOException {
      if (target.isAbsolute()) {
        Path normalized = target.normalize();
        Path base =
            normalized.startsWith(realRoot) ? realRoot : normalized.startsWith(root) ? root : null;
        if (base == null) {
          throw new NotConfinedException("A symbolic link leads outside the table");
        }
        while (handles.size() > 1) {
          up();
        }
        target = base.relativize(normalized);
      }
      addFirst(pending, target);
    }

    private void up() throws IOException {
      if (handles.size() == 1) {
        throw new NotConfinedException("The path rises above the table root");
      }
      handles.pop().close();
      names.remove(names.size() - 1);
    }

    /** Where the current handle was when it was opened; used only to read link text. */
    private Path currentPath() {
      Path p = realRoot;
      for (String name : names) {
        p = p.resolve(name);
      }
      return p;
    }

    @Override
    public void close() {
      while (!handles.isEmpty()) {
        try {
          handles.pop().close();
        } catch (IOException e) {
          LOG.debug("Closing a directory handle failed", e);
        }
      }
    }
  }

  private static FileChannel openFile(SecureDirectoryStream<Path> dir, Path child)
      throws IOException {
    SeekableByteChannel channel =
        dir.newByteChannel(child, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    if (channel instanceof FileChannel file) {
      return file;
    }
    channel.close();
    throw new IOException("The platform did not open a file channel");
  }

  private static void addFirst(Deque<String> pending, Path path) {
    List<String> parts = new ArrayList<>();
    for (Path part : path) {
      parts.add(part.toString());
    }
    for (int i = parts.size() - 1; i >= 0; i--) {
      pending.addFirst(parts.get(i));
    }
  }

  /** The fallback without directory handles: resolve, check, open (with the window it has). */
  private static Opened openByRealPath(Path root, Path realRoot, Path relative, boolean open)
      throws IOException {
    if (!warned) {
      warned = true;
      LOG.warn(
          "This platform cannot open files relative to a directory handle; a directory of a"
              + " shared table swapped for a symlink while a file is being opened may escape the"
              + " table root");
    }
    Path real = root.resolve(relative).toRealPath();
    if (!real.startsWith(realRoot) || real.equals(realRoot)) {
      throw new NotConfinedException("The file lies outside the table root");
    }
    BasicFileAttributes attributes =
        Files.readAttributes(real, BasicFileAttributes.class, NOFOLLOW);
    if (!attributes.isRegularFile()) {
      throw new NotConfinedException("Not a regular file");
    }
    FileChannel channel =
        open ? FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS) : null;
    return new Opened(channel, attributes);
  }
}
