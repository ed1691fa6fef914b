package app.liuliang.bench;

import app.liuliang.sandbox.CallbackSimulator;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * An open-loop load generator over a fixed set of keep-alive connections: request i is due at
 * {@code start + i / rate} and goes out on connection {@code i % connections}. Latency counts from the
 * due time, so a server that falls behind is charged for the queue it causes (no coordinated omission).
 * Plain sockets, because the JDK HttpClient's single selector thread saturated before the server did.
 */
final class OpenLoopClient {

  private final String host;
  private final int port;
  private final int connections;

  OpenLoopClient(String host, int port, int connections) {
    this.host = host;
    this.port = port;
    this.connections = connections;
  }

  /** Sends every callback at {@code rate} per second; fills {@code latencies} (ns); returns the non-200 count. */
  int run(List<CallbackSimulator.SignedCallback> callbacks, int rate, long[] latencies, IntConsumer onDue)
      throws InterruptedException {
    AtomicInteger failures = new AtomicInteger();
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    Thread[] threads = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      int first = c;
      threads[c] = new Thread(() -> {
        Connection socket = null;
        for (int i = first; i < callbacks.size(); i += connections) {
          long due = start + i * interval;
          try {
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
            onDue.accept(i);
            if (socket == null) {
              socket = connect();
            }
            if (exchange(socket, callbacks.get(i)) != 200) {
              failures.incrementAndGet();
            }
          } catch (IOException e) {
            failures.incrementAndGet();
            close(socket);
            socket = null;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          latencies[i] = System.nanoTime() - due;
        }
        close(socket);
      }, "open-loop-" + c);
      threads[c].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return failures.get();
  }

  private record Connection(Socket socket, InputStream in, OutputStream out) {
  }

  private Connection connect() throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    return new Connection(socket, new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
  }

  private int exchange(Connection connection, CallbackSimulator.SignedCallback callback) throws IOException {
    byte[] body = callback.body().getBytes(StandardCharsets.UTF_8);
    String head = "POST /wecom/callback?" + callback.query() + " HTTP/1.1\r\nHost: " + host + "\r\n"
        + "Content-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    connection.out().write(request);
    connection.out().flush();
    return readResponse(connection.in());
  }

  /** Reads one response (status line, headers, Content-Length body); returns the status code. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    int code = Integer.parseInt(status.split(" ")[1]);
    int length = 0;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(header.substring(15).trim());
      }
    }
    if (in.readNBytes(length).length != length) {
      throw new IOException("connection closed mid-body");
    }
    return code;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static void close(Connection connection) {
    if (connection != null) {
      try {
        connection.socket().close();
      } catch (IOException ignored) {
        // already broken; nothing to do
      }
    }
  }
}
