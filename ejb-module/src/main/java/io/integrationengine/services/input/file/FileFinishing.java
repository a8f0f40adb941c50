package io.integrationengine.services.input.file;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.services.UnitOfWork;
import io.integrationengine.services.input.file.csv.CsvFileEnvelope;
import io.integrationengine.services.input.file.csv.CsvMapping;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The last step of the {@code file-intake} job: keeps the file's envelope as the parent message of
 * its records, checks the batch counts, and moves the file to {@code archive/<channel>}, or to
 * {@code error/<channel>} with a report beside it when anything was wrong (a record rejected, a
 * count that does not match, not HL7v2 at all, a CSV file that is empty or not one of its
 * channel's mapping). Records that were fine went on in any case. A CSV file's envelope is the
 * whole file ({@link CsvFileEnvelope}).
 */
@Dependent
@Named("fileFinishing")
public class FileFinishing extends AbstractBatchlet {

  private static final Logger LOG = Logger.getLogger(FileFinishing.class.getName());
  /** A binary file is kept in the store as a whole only up to this size; it is in error/ anyway. */
  private static final long MAX_STORED_BINARY = 16L * 1024 * 1024;
  private static final int MAX_REPORTED = 10_000;

  @Inject
  @BatchProperty(name = "fileId")
  String fileId;

  @Inject
  FileJobs jobs;

  @Inject
  FolderChannels channels;

  @Inject
  UnitOfWork work;

  @Override
  public String process() throws Exception {
    FileJob job = jobs.find(fileId).orElseThrow(() -> new IllegalStateException("no file job " + fileId));
    Path file = Path.of(job.getWorkPath());
    FileFolders folders = channels.folders();
    List<String> problems = new ArrayList<>();
    StoredMessage envelope;
    String label = "file:" + job.getChannel();
    CsvMapping mapping = csvMapping(job);
    if (FileInspection.binary(file)) {
      long size = Files.size(file);
      problems.add("Binary file (it holds NUL bytes): not HL7v2 or CSV text; no record was taken from it");
      byte[] content = size <= MAX_STORED_BINARY ? Files.readAllBytes(file) : new byte[0];
      envelope = StoredMessage.envelope(fileId, content, ContentType.BINARY, null, label, job.getFileName());
      envelope.changeStatus(MessageStatus.REJECTED, problems.get(0) + (size > MAX_STORED_BINARY ? " (" + size + " bytes: not stored, kept in error/)" : ""));
    } else if (mapping != null) {
      CsvFileEnvelope read = CsvFileEnvelope.read(file, mapping);
      problems.addAll(read.problems());
      envelope = StoredMessage.envelope(fileId, read.bytes(), ContentType.CSV_RECORD, mapping.charset(), label, job.getFileName());
      String detail = "CSV file " + job.getFileName() + " (mapping " + mapping.name() + "): " + read.records() + " row(s), " + job.getRecordsFailed() + " rejected"
          + (read.bytes().length < Files.size(file) ? "; larger than " + CsvFileEnvelope.MAX_STORED + " bytes: only its header is kept here" : "")
          + (problems.isEmpty() ? "" : "; " + String.join("; ", problems));
      // not one row could be taken from it (not a CSV file of the mapping): refused as a whole, as a binary file is
      envelope.changeStatus(read.readable() ? MessageStatus.SPLIT : MessageStatus.REJECTED, detail);
    } else {
      Hl7FileEnvelope read;
      try (InputStream in = Files.newInputStream(file)) {
        read = Hl7FileEnvelope.read(in);
      }
      problems.addAll(read.problems());
      if (read.records() == 0) {
        problems.add(Files.size(file) == 0 ? "Empty file: no records" : "No records: the file holds only blank lines or envelope segments");
      }
      envelope = StoredMessage.envelope(fileId, read.bytes(), ContentType.HL7V2_ER7, StandardCharsets.ISO_8859_1, label, job.getFileName());
      envelope.changeStatus(MessageStatus.SPLIT, "File " + job.getFileName() + ": " + read.records() + " record(s), " + job.getRecordsFailed() + " rejected"
          + (problems.isEmpty() ? "" : "; " + String.join("; ", problems)));
    }
    List<StoredMessage> rejected = jobs.rejectedRecords(fileId, MAX_REPORTED);
    work.inNewTransaction(() -> {
      if (!jobs.envelopeStored(fileId)) {
        jobs.addEnvelope(envelope);
      }
      return null;
    });

    boolean bad = !problems.isEmpty() || !rejected.isEmpty() || job.getRecordsFailed() > 0;
    Path targetDir = (bad ? folders.error() : folders.archive()).resolve(job.getChannel());
    Files.createDirectories(targetDir);
    Path target = freeName(targetDir, job.getFileName(), fileId);
    if (bad) {
      Files.writeString(targetDir.resolve(target.getFileName() + ".report.txt"), report(job, problems, rejected), StandardCharsets.UTF_8);
    }
    FileJob.Status outcome = bad ? FileJob.Status.ERROR : FileJob.Status.ARCHIVED;
    // recorded before the move: if the server stops in between, the watcher finishes the move
    work.inNewTransaction(() -> {
      jobs.finished(fileId, outcome, target.toString(), problems.isEmpty() ? null : String.join("; ", problems));
      return null;
    });
    FolderWatcher.move(file, target);
    LOG.info(() -> "File " + job.getFileName() + " (channel " + job.getChannel() + ", id " + fileId + "): " + outcome + " -> " + target);
    return outcome.name();
  }

  /** The mapping of the file's channel when it is a CSV channel, else null. */
  private CsvMapping csvMapping(FileJob job) {
    FolderChannel channel = channels.channel(job.getChannel())
        .orElseThrow(() -> new IllegalStateException("file " + job.getFileName() + ": channel '" + job.getChannel() + "' is not a valid folder channel now"));
    return channel.format() == FolderChannel.Format.CSV ? channel.mapping() : null;
  }

  /** The file's name in its new folder, or {@code <id>_<name>} when a file of that name is there already. */
  static Path freeName(Path dir, String name, String id) {
    Path plain = dir.resolve(name);
    return Files.exists(plain) || Files.exists(dir.resolve(name + ".report.txt")) ? dir.resolve(id + "_" + name) : plain;
  }

  private String report(FileJob job, List<String> problems, List<StoredMessage> rejected) {
    StringBuilder r = new StringBuilder();
    r.append("File:     ").append(job.getFileName()).append('\n');
    r.append("Channel:  ").append(job.getChannel()).append('\n');
    r.append("File id:  ").append(fileId).append(" (the parent id of its records; GET /api/messages/").append(fileId).append(")\n");
    r.append("Records:  ").append(job.getRecordsRead()).append(" read, ").append(job.getRecordsStored()).append(" stored and routed, ")
        .append(job.getRecordsFailed()).append(" rejected\n\n");
    for (String problem : problems) {
      r.append("File: ").append(problem).append('\n');
    }
    for (StoredMessage m : rejected) {
      r.append("Record ").append(m.getRecordNumber());
      if (m.getControlId() != null) {
        r.append(" (control id ").append(m.getControlId()).append(')');
      }
      r.append(": rejected, stored as message ").append(m.getId()).append(": ").append(m.getStatusDetail()).append('\n');
    }
    if (rejected.size() == MAX_REPORTED) {
      r.append("... (only the first ").append(MAX_REPORTED).append(" rejected records are listed)\n");
    }
    return r.toString();
  }
}
