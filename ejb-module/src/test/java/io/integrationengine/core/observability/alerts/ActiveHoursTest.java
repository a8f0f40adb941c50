package io.integrationengine.core.observability.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ActiveHoursTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Instant at(String local) {
    return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
  }

  @Test
  void workingHoursOnWorkingDays() {
    ActiveHours hours = ActiveHours.parse("07:00-19:00", "MON-FRI", "Europe/Berlin");
    // 2026-11-27 is a Friday
    assertThat(hours.periodStart(at("2026-11-27T06:59"))).isEmpty();
    assertThat(hours.periodStart(at("2026-11-27T07:00"))).contains(at("2026-11-27T07:00"));
    assertThat(hours.periodStart(at("2026-11-27T18:59"))).contains(at("2026-11-27T07:00"));
    assertThat(hours.periodStart(at("2026-11-27T19:00"))).isEmpty();
    assertThat(hours.periodStart(at("2026-11-28T10:00"))).as("Saturday").isEmpty();
  }

  @Test
  void aNightShiftBelongsToTheDayItStarts() {
    ActiveHours hours = ActiveHours.parse("22:00-06:00", "FRI", "Europe/Berlin");
    assertThat(hours.periodStart(at("2026-11-27T23:00"))).contains(at("2026-11-27T22:00"));
    assertThat(hours.periodStart(at("2026-11-28T05:59"))).as("Saturday morning, Friday's night").contains(at("2026-11-27T22:00"));
    assertThat(hours.periodStart(at("2026-11-28T22:30"))).as("Saturday night").isEmpty();
    assertThat(hours.periodStart(at("2026-11-27T05:00"))).as("Friday morning, Thursday's night").isEmpty();
    assertThat(hours.periodStart(at("2026-11-27T12:00"))).isEmpty();
  }

  @Test
  void allDayOnConsecutiveDaysIsOnePeriod() {
    assertThat(ActiveHours.parse(null, null, "UTC").periodStart(Instant.parse("2026-11-27T00:05:00Z"))).contains(Instant.EPOCH);
    ActiveHours weekdays = ActiveHours.parse(null, "MON-FRI", "Europe/Berlin");
    assertThat(weekdays.periodStart(at("2026-11-27T00:05"))).contains(at("2026-11-23T00:00"));
    assertThat(weekdays.periodStart(at("2026-11-29T12:00"))).isEmpty();
    ActiveHours weekend = ActiveHours.parse(null, "SAT,SUN", "Europe/Berlin");
    assertThat(weekend.periodStart(at("2026-11-29T12:00"))).contains(at("2026-11-28T00:00"));
  }
}
