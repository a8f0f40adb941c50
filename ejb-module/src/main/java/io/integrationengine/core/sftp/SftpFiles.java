package io.integrationengine.core.sftp;

import java.io.IOException;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** Small SFTP operations channels and destinations share. */
public final class SftpFiles {

  private SftpFiles() {}

  /** True when the server answered that the path does not exist. */
  public static boolean missing(IOException e) {
    return e instanceof SftpException sftp && sftp.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE;
  }

  public static boolean exists(SftpClient sftp, String path) throws IOException {
    try {
      sftp.stat(path);
      return true;
    } catch (IOException e) {
      if (missing(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Creates the folder and those above it that are missing. */
  public static void createDirectories(SftpClient sftp, String path) throws IOException {
    if (path.isEmpty() || path.equals(".") || path.equals("/") || exists(sftp, path)) {
      return;
    }
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      createDirectories(sftp, path.substring(0, slash));
    }
    try {
      sftp.mkdir(path);
    } catch (IOException e) {
      // made by someone else meanwhile
      if (!exists(sftp, path)) {
        throw e;
      }
    }
  }
}
