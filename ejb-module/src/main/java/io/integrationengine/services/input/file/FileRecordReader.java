package io.integrationengine.services.input.file;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file's records for the {@code file-intake} job, from where its last committed chunk
 * ended: the position kept with the file's job ({@link FileJob#getResumeOffset()}), written in the
 * same transaction as the chunk's records, so a restart after a crash neither skips nor repeats a
 * record. Envelope segments are skipped here (the finishing step keeps them); a binary file yields
 * nothing (the finishing step reports it).
 */
@Dependent
@Named("fileRecordReader")
public class FileRecordReader extends AbstractItemReader {

  @Inject
  @BatchProperty(name = "fileId")
  String fileId;

  @Inject
  FileJobs jobs;

  private InputStream in;
  private Hl7FileSplitter splitter;
  private long lastEnd;
  private long nextNumber;

  @Override
  public void open(Serializable checkpoint) throws Exception {
    FileJob job = jobs.find(fileId).orElseThrow(() -> new IllegalStateException("no file job " + fileId));
    Path file = Path.of(job.getWorkPath());
    if (FileInspection.binary(file)) {
      return;
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    channel.position(job.getResumeOffset());
    in = Channels.newInputStream(channel);
    lastEnd = job.getResumeOffset();
    nextNumber = job.getNextRecord();
    splitter = new Hl7FileSplitter(in, job.getResumeOffset(), job.getNextRecord());
  }

  @Override
  public Object readItem() throws IOException {
    if (splitter == null) {
      return null;
    }
    FileRecord record;
    do {
      record = splitter.next();
    } while (record != null && record.kind() == FileRecord.Kind.ENVELOPE);
    if (record != null) {
      lastEnd = record.end();
      nextNumber = record.number() + 1;
    }
    return record;
  }

  /** Also kept by the batch runtime; the file job's own position, committed with the records, is what a restart uses. */
  @Override
  public Serializable checkpointInfo() {
    return new long[] {nextNumber, lastEnd};
  }

  @Override
  public void close() throws IOException {
    if (in != null) {
      in.close();
    }
  }
}
