package io.integrationengine.services.input.file;

import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.core.observability.PipelineMetrics;
import io.integrationengine.core.services.AfterCommit;
import io.integrationengine.core.services.MessageRepository;
import jakarta.annotation.Resource;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stores a chunk of a file's records in the chunk's transaction: each record as a message (its
 * parent id the file's id, its number in the file), the file job's counts and resume position with
 * them. The store takes a record once: records of the chunk already stored (parent id + record
 * number, a unique key) are skipped. After the transaction commits, the accepted messages are
 * handed to routing together; rejected ones are kept, as the MLLP intake keeps them.
 */
@Dependent
@Named("fileRecordWriter")
public class FileRecordWriter extends AbstractItemWriter {

  @Inject
  @BatchProperty(name = "fileId")
  String fileId;

  @Inject
  FileJobs jobs;

  @Inject
  FolderChannels channels;

  @Inject
  FileRecordMessages records;

  @Inject
  MessageRepository messages;

  @Inject
  RoutingHandOn handOn;

  @Inject
  PipelineMetrics metrics = PipelineMetrics.NONE;

  @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
  TransactionSynchronizationRegistry transactions;

  @Override
  public void writeItems(List<Object> items) {
    if (items.isEmpty()) {
      return;
    }
    FileJob job = jobs.find(fileId).orElseThrow(() -> new IllegalStateException("no file job " + fileId));
    FolderChannel channel = channels.channel(job.getChannel())
        .orElseThrow(() -> new IllegalStateException("file " + job.getFileName() + ": channel '" + job.getChannel() + "' is not a valid folder channel now"));
    FileRecord first = (FileRecord) items.get(0);
    FileRecord last = (FileRecord) items.get(items.size() - 1);
    Set<Long> already = jobs.storedRecords(fileId, first.number(), last.number());
    List<String> accepted = new ArrayList<>(items.size());
    List<StoredMessage> chunk = new ArrayList<>(items.size());
    long read = 0;
    long failed = 0;
    for (Object item : items) {
      FileRecord record = (FileRecord) item;
      if (already.contains(record.number())) {
        continue;
      }
      read++;
      StoredMessage message = records.message(record, channel, fileId, job.getFileName());
      chunk.add(message);
      if (message.getStatus() == MessageStatus.REJECTED) {
        failed++;
      } else {
        accepted.add(message.getId());
      }
    }
    messages.addAll(chunk);
    jobs.chunkStored(fileId, read, accepted.size(), failed, last.number() + 1, last.end());
    if (read > 0) {
      long rejected = failed;
      AfterCommit.run(transactions, () -> {
        metrics.fileRecords(channel.label(), accepted.size(), rejected);
        if (!accepted.isEmpty()) {
          handOn.toRouting(fileId, accepted);
        }
      });
    }
  }
}
