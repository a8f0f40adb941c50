package io.integrationengine.mllp.framing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental MLLP deframer: feed it whatever a socket read returned, it hands back every frame
 * completed so far. A frame is {@code 0x0B payload 0x1C 0x0D}.
 *
 * <p>It is a state machine rather than a scan for delimiters so that frames split across reads,
 * several frames in one read and stray bytes between frames all come out right. Bytes outside a
 * frame are discarded and counted. A frame larger than the limit is reported once, with its first
 * bytes (enough to read the MSH segment and answer it), and the rest of it is discarded.
 */
public final class MllpFrameDecoder {

  public static final byte START_BLOCK = 0x0B;
  public static final byte END_BLOCK = 0x1C;
  public static final byte CARRIAGE_RETURN = 0x0D;

  /** Bytes of an oversized frame kept so the caller can still read its header. */
  static final int OVERSIZED_PREFIX_BYTES = 4096;

  private enum State {
    OUTSIDE_FRAME,
    IN_FRAME,
    AFTER_END_BLOCK,
    DISCARDING_OVERSIZED
  }

  /** What the decoder produced: a complete frame, or the head of a frame that was too large. */
  public sealed interface Result permits Frame, Oversized {}

  /** A complete frame's payload. */
  public record Frame(byte[] payload) implements Result {}

  /** A frame that exceeded the limit; {@code prefix} holds its first bytes. */
  public record Oversized(byte[] prefix, int limit) implements Result {}

  private final int maxFrameBytes;
  /** The frame read so far: a plain growable array (not a ByteArrayOutputStream, whose every write is synchronized). */
  private byte[] payload = new byte[1024];
  private int size;
  private State state = State.OUTSIDE_FRAME;
  private long discardedBytes;

  public MllpFrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < 16) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 16, was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Consumes {@code length} bytes of {@code data} from {@code offset}; returns the results completed. */
  public List<Result> feed(byte[] data, int offset, int length) {
    List<Result> results = new ArrayList<>(1);
    for (int i = offset; i < offset + length; i++) {
      byte b = data[i];
      switch (state) {
        case OUTSIDE_FRAME -> {
          if (b == START_BLOCK) {
            startFrame();
          } else {
            discardedBytes++;
          }
        }
        case IN_FRAME -> {
          if (b == END_BLOCK) {
            state = State.AFTER_END_BLOCK;
          } else if (b == START_BLOCK) {
            // the sender gave up on the frame and began another: drop the unfinished one
            discardedBytes += size + 1;
            startFrame();
          } else if (size >= maxFrameBytes) {
            results.add(new Oversized(head(), maxFrameBytes));
            discardedBytes += size + 2;
            size = 0;
            state = State.DISCARDING_OVERSIZED;
          } else {
            // the bytes up to the next delimiter (or the limit) in one copy, not one call per byte
            int end = offset + length;
            int run = i + 1;
            int last = Math.min(end, i + (maxFrameBytes - size));
            while (run < last && data[run] != END_BLOCK && data[run] != START_BLOCK) {
              run++;
            }
            append(data, i, run - i);
            i = run - 1;
          }
        }
        case AFTER_END_BLOCK -> {
          results.add(new Frame(Arrays.copyOf(payload, size)));
          size = 0;
          state = State.OUTSIDE_FRAME;
          if (b != CARRIAGE_RETURN) {
            // lenient: a lone 0x1C still ends the frame; the byte after it belongs to what follows
            i--;
          }
        }
        case DISCARDING_OVERSIZED -> {
          discardedBytes++;
          if (b == END_BLOCK) {
            state = State.OUTSIDE_FRAME;
          }
        }
      }
    }
    return results;
  }

  /** True while part of a frame has been read but not its end. */
  public boolean inFrame() {
    return state == State.IN_FRAME || state == State.AFTER_END_BLOCK;
  }

  /** Bytes thrown away so far: outside frames, abandoned frames and oversized frames. */
  public long discardedBytes() {
    return discardedBytes;
  }

  private void startFrame() {
    size = 0;
    state = State.IN_FRAME;
  }

  private void append(byte[] data, int from, int count) {
    if (size + count > payload.length) {
      payload = Arrays.copyOf(payload, Math.max(size + count, Math.min(payload.length * 2, maxFrameBytes)));
    }
    System.arraycopy(data, from, payload, size, count);
    size += count;
  }

  private byte[] head() {
    return Arrays.copyOf(payload, Math.min(size, OVERSIZED_PREFIX_BYTES));
  }

  /** Wraps a payload in an MLLP frame. */
  public static byte[] frame(byte[] payload) {
    byte[] framed = new byte[payload.length + 3];
    framed[0] = START_BLOCK;
    System.arraycopy(payload, 0, framed, 1, payload.length);
    framed[framed.length - 2] = END_BLOCK;
    framed[framed.length - 1] = CARRIAGE_RETURN;
    return framed;
  }
}
