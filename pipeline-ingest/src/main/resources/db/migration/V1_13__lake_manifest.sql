-- The analytics lake's manifest (docs/pipeline.md, "Analytics lake"). The Parquet files live in a folder;
-- what must be transactional lives here: which Kafka offsets the lake holds, and which files are its content.
-- Every row names its lake, so several lakes (a test's temporary one, a benchmark's) share this schema.

-- The next offset to load, per topic partition. A batch moves it forward in the same transaction that
-- records the batch's files, and only from the offset the batch started at (a fence against a replica
-- that lost the partition in a rebalance and still writes).
CREATE TABLE lake_offset (
    lake        text    NOT NULL,
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL CHECK (next_offset >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (lake, topic, partition)
);

-- One Parquet file of the lake. state: 'pending' (committed, still under its temporary name: it is
-- renamed into place by whoever finds it, the loader right after the commit or any replica at start),
-- 'live' (under its final name: queries read it), 'removed' (replaced by compaction or expired by
-- retention; the file is deleted once no query can still be reading it).
CREATE TABLE lake_file (
    lake        text        NOT NULL,
    path        text        NOT NULL,
    temp_path   text,
    day         date        NOT NULL,
    type        text        NOT NULL,
    rows        bigint      NOT NULL CHECK (rows >= 0),
    bytes       bigint      NOT NULL CHECK (bytes >= 0),
    state       text        NOT NULL CHECK (state IN ('pending', 'live', 'removed')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    removed_at  timestamptz,
    PRIMARY KEY (lake, path)
);

CREATE INDEX lake_file_live ON lake_file (lake, day, type) WHERE state = 'live';
CREATE INDEX lake_file_unsettled ON lake_file (lake, state) WHERE state <> 'live';
