-- Media ids of welcome card covers (issue 12): a media id lives 3 days and serves every node, so the cover is
-- uploaded once for the cluster rather than once per node; an upload in progress is a cluster_locks row.
CREATE TABLE welcome_covers (
  file        TEXT   PRIMARY KEY,
  media_id    TEXT   NOT NULL,
  uploaded_at BIGINT NOT NULL
);
