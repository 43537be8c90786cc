-- Rows per hour and topic of each lake file (docs/pipeline.md, "Hour counts"), counted from the written
-- file itself and committed in the same transaction as its lake_file row, so they are exactly the file's
-- rows for as long as the file is live. Counts over whole hours (every analyst's counts series) sum these
-- few rows instead of scanning the Parquet files. A file committed before this migration has none
-- (hours_counted false): queries over its days read the Parquet files as before.
ALTER TABLE lake_file ADD COLUMN hours_counted boolean NOT NULL DEFAULT false;

CREATE TABLE lake_file_hour (
    lake  text      NOT NULL,
    path  text      NOT NULL,
    hour  timestamp NOT NULL, -- UTC, like the files' occurred_at
    topic text      NOT NULL,
    rows  bigint    NOT NULL CHECK (rows > 0),
    PRIMARY KEY (lake, path, hour, topic),
    FOREIGN KEY (lake, path) REFERENCES lake_file (lake, path) ON DELETE CASCADE
);
