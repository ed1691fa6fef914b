package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  private Database database;
  private GroupCommitter committer;

  @BeforeEach
  void open() {
    database = Database.inMemory();
    database.jdbi().useHandle(h -> h.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)"));
    committer = new GroupCommitter(database.jdbi(), "test", 10_000);
  }

  @AfterEach
  void close() {
    committer.close();
    database.close();
  }

  private GroupCommitter.Write<Long> insert(String body) {
    return tx -> {
      PreparedStatement statement = tx.prepared("INSERT INTO note (body) VALUES (?) RETURNING id");
      statement.setString(1, body);
      try (var inserted = statement.executeQuery()) {
        inserted.next();
        return inserted.getLong(1);
      }
    };
  }

  private int count() {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM note").mapTo(Integer.class).one());
  }

  @Test
  void aCompletedWriteIsCommittedAndVisibleToOtherConnections() throws Exception {
    List<CompletableFuture<Long>> writes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      writes.add(committer.submit(insert("note " + i)));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    assertThat(count()).isEqualTo(500);
    assertThat(writes).extracting(CompletableFuture::join).doesNotHaveDuplicates();
  }

  @Test
  void aFailingWriteFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
    committer.submit(insert("taken")).get(30, TimeUnit.SECONDS);
    List<CompletableFuture<Long>> good = new ArrayList<>();
    CompletableFuture<Long> bad;
    // Queued together, so they would share a transaction.
    good.add(committer.submit(insert("a")));
    bad = committer.submit(insert("taken"));
    good.add(committer.submit(insert("b")));

    CompletableFuture.allOf(good.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("UNIQUE");
    assertThat(count()).isEqualTo(3);
  }

  @Test
  void afterCommitRunsOnTheWriterThreadInCommitOrder() throws Exception {
    // Four threads submit at once; the ids are the commit order, and the follow-ups must see them in it.
    List<Long> followedUp = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Long>> writes = new CopyOnWriteArrayList<>();
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int submitter = t;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          writes.add(committer.submit(insert(submitter + "/" + i), id -> {
            followedUp.add(id);
            threads.add(Thread.currentThread().getName());
            return id;
          }));
        }
      });
      thread.start();
      submitters.add(thread);
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    assertThat(followedUp).hasSize(2_000).isSorted();
    assertThat(threads).containsOnly("test-writer");
  }

  @Test
  void aWriteSubmittedAfterCloseFailsAtOnce() {
    committer.close();

    assertThatThrownBy(() -> committer.submit(insert("late")).get(1, TimeUnit.SECONDS))
        .hasMessageContaining("full or stopped");
  }
}
