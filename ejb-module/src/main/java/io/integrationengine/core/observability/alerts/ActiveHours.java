package io.integrationengine.core.observability.alerts;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * When a silence rule watches: daily hours ({@code 07:00-19:00}; a range past midnight such as
 * {@code 22:00-06:00} runs into the next day), on some days ({@code MON-FRI}, {@code MON,WED,SAT};
 * a period past midnight belongs to the day it starts on), in a time zone. Without hours it
 * watches all day; without days, every day. All-day periods on consecutive days are one period.
 */
public record ActiveHours(LocalTime from, LocalTime to, Set<DayOfWeek> days, ZoneId zone) {

  public static final ActiveHours ALWAYS = new ActiveHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, EnumSet.allOf(DayOfWeek.class), ZoneId.systemDefault());

  public static ActiveHours parse(String hours, String days, String zone) {
    LocalTime from = LocalTime.MIDNIGHT;
    LocalTime to = LocalTime.MIDNIGHT;
    if (hours != null && !hours.isBlank()) {
      String[] parts = hours.strip().split("\\s*-\\s*");
      if (parts.length != 2) {
        throw new IllegalArgumentException("hours must be HH:MM-HH:MM, was '" + hours + "'");
      }
      try {
        from = LocalTime.parse(parts[0]);
        to = LocalTime.parse(parts[1]);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("hours must be HH:MM-HH:MM, was '" + hours + "'");
      }
    }
    Set<DayOfWeek> daySet = EnumSet.allOf(DayOfWeek.class);
    if (days != null && !days.isBlank()) {
      daySet = EnumSet.noneOf(DayOfWeek.class);
      for (String part : days.split(",")) {
        String[] range = part.strip().split("\\s*-\\s*");
        DayOfWeek first = day(range[0]);
        DayOfWeek last = range.length == 2 ? day(range[1]) : first;
        if (range.length > 2) {
          throw new IllegalArgumentException("days: '" + part.strip() + "' is not a day or a range of days such as MON-FRI");
        }
        for (DayOfWeek d = first;; d = d.plus(1)) {
          daySet.add(d);
          if (d == last) {
            break;
          }
        }
      }
    }
    ZoneId zoneId;
    try {
      zoneId = zone == null || zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone.strip());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("zone: '" + zone + "' is not a time zone (e.g. Europe/Berlin, UTC)");
    }
    return new ActiveHours(from, to, Set.copyOf(daySet), zoneId);
  }

  private static DayOfWeek day(String value) {
    String v = value.strip().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (v.length() >= 3 && d.name().startsWith(v)) {
        return d;
      }
    }
    throw new IllegalArgumentException("days: '" + value.strip() + "' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
  }

  /**
   * When the watched period that {@code now} falls in began, or empty when {@code now} is outside
   * every watched period.
   */
  public Optional<Instant> periodStart(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    LocalDate today = local.toLocalDate();
    LocalTime time = local.toLocalTime();
    LocalDate startDay;
    if (from.equals(to)) {
      // all day: the period runs over consecutive watched days
      if (!days.contains(today.getDayOfWeek())) {
        return Optional.empty();
      }
      if (days.size() == 7) {
        return Optional.of(Instant.EPOCH);
      }
      startDay = today;
      while (days.contains(startDay.minusDays(1).getDayOfWeek())) {
        startDay = startDay.minusDays(1);
      }
      return Optional.of(startDay.atStartOfDay(zone).toInstant());
    } else if (from.isBefore(to)) {
      if (time.isBefore(from) || !time.isBefore(to)) {
        return Optional.empty();
      }
      startDay = today;
    } else if (!time.isBefore(from)) {
      startDay = today;
    } else if (time.isBefore(to)) {
      startDay = today.minusDays(1);
    } else {
      return Optional.empty();
    }
    return days.contains(startDay.getDayOfWeek()) ? Optional.of(startDay.atTime(from).atZone(zone).toInstant()) : Optional.empty();
  }
}
