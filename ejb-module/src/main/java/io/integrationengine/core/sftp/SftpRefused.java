package io.integrationengine.core.sftp;

/**
 * An SFTP server could not be used in a way that trying again will not change until an operator
 * acts: its host key is not trusted, it refused the credentials, or a password alias or key file is
 * missing. The message says which, for which channel or destination and server.
 */
public class SftpRefused extends Exception {

  private static final long serialVersionUID = 1L;

  public SftpRefused(String message) {
    super(message);
  }

  public SftpRefused(String message, Throwable cause) {
    super(message, cause);
  }
}
