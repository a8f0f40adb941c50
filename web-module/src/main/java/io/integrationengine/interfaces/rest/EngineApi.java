package io.integrationengine.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The engine's REST API, under {@code /api}. */
@ApplicationPath("/api")
public class EngineApi extends Application {}
