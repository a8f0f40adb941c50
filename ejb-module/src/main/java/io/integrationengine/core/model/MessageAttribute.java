package io.integrationengine.core.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * One indexed value read from a message at intake, for search and routing: {@code controlId},
 * {@code patientId} (one per PID-3 repetition), {@code resourceType}, ... A name may repeat.
 */
@Embeddable
public class MessageAttribute {

  /** Longest value kept; longer values are cut, never refused. */
  public static final int MAX_VALUE = 500;

  @Column(name = "NAME", length = 40, nullable = false)
  private String name;

  @Column(name = "ATTR_VALUE", length = MAX_VALUE, nullable = false)
  private String value;

  protected MessageAttribute() {}

  public MessageAttribute(String name, String value) {
    this.name = name;
    this.value = value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE);
  }

  public String getName() {
    return name;
  }

  public String getValue() {
    return value;
  }
}
