package io.integrationengine.services.input.file;

import io.integrationengine.services.input.file.csv.CsvFileRows;
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
 * record. The channel's format says how: HL7v2 messages ({@link Hl7FileSplitter}) or CSV rows
 * ({@link CsvFileRows}, which reads the header itself). Envelope segments are skipped here (the
 * finishing step keeps them); a binary file, or a CSV file whose header lacks the mapped columns, yields nothing
 * (the finishing step reports it).
 */
@Dependent
@Named("fileRecordReader")
public class FileRecordReader extends AbstractItemReader {

  @Inject
  @BatchProperty(name = "fileId")
  String fileId;

  @Inject
  FileJobs jobs;

  @Inject
  FolderChannels channels;

  /** The next record of the file, in file order; null at its end. */
  private interface Records {
    FileRecord next() throws IOException;
  }

  private InputStream in;
  private Records splitter;
  private long lastEnd;
  private long nextNumber;

  @Override
  public void open(Serializable checkpoint) throws Exception {
    FileJob job = jobs.find(fileId).orElseThrow(() -> new IllegalStateException("no file job " + fileId));
    FolderChannel folder = channels.channel(job.getChannel())
        .orElseThrow(() -> new IllegalStateException("file " + job.getFileName() + ": channel '" + job.getChannel() + "' is not a valid folder channel now"));
    Path file = Path.of(job.getWorkPath());
    if (FileInspection.binary(file)) {
      return;
    }
    lastEnd = job.getResumeOffset();
    nextNumber = job.getNextRecord();
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    if (folder.format() == FolderChannel.Format.CSV) {
      // from the start: the header says where each mapped column is
      in = Channels.newInputStream(channel);
      splitter = CsvFileRows.open(in, folder.mapping(), job.getResumeOffset(), job.getNextRecord())::next;
    } else {
      channel.position(job.getResumeOffset());
      in = Channels.newInputStream(channel);
      splitter = new Hl7FileSplitter(in, job.getResumeOffset(), job.getNextRecord())::next;
    }
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
