package app.liuliang.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code liuliang.lock} in the data folder, locked by the OS for as long as a server uses the store:
 * what {@code liuliang store restore} asks before it writes there. The OS drops the lock when the
 * process dies (even by {@code kill -9}), so a crashed server never leaves a stale lock behind.
 *
 * <p>Java keeps file locks per JVM, and one JVM may run several servers on one folder (tests,
 * restarts that overlap): those share one lock, counted, and it is released with the last.
 */
public final class DataDirLock implements AutoCloseable {

  public static final String FILE = "liuliang.lock";
  private static final Map<Path, Held> HELD = new HashMap<>();

  private final Path file;
  private boolean closed;

  private DataDirLock(Path file) {
    this.file = file;
  }

  /** Locks the folder for a server; throws when another process holds it. */
  public static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE).toAbsolutePath().normalize();
    synchronized (HELD) {
      Held held = HELD.get(file);
      if (held == null) {
        held = Held.take(file);
        if (held == null) {
          throw new IllegalStateException("another Liuliang process uses the store in " + dataDir
              + " (" + FILE + " is locked)");
        }
        HELD.put(file, held);
      }
      held.users++;
    }
    return new DataDirLock(file);
  }

  /** True when some server (in this process or another) holds the folder now. */
  public static boolean isHeld(Path dataDir) {
    Path file = dataDir.resolve(FILE).toAbsolutePath().normalize();
    if (!file.toFile().exists()) {
      return false;
    }
    synchronized (HELD) {
      if (HELD.containsKey(file)) {
        return true;
      }
      Held probe = Held.take(file);
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    }
  }

  @Override
  public void close() {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(file);
      if (held != null && --held.users == 0) {
        HELD.remove(file);
        held.release();
      }
    }
  }

  private static final class Held {
    private final FileChannel channel;
    private final FileLock lock;
    private int users;

    private Held(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    /** The OS lock, or null when another process holds it. */
    static Held take(Path file) {
      try {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          channel.close();
          return null;
        }
        return new Held(channel, lock);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + file, e);
      }
    }

    void release() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
