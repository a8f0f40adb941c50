package io.integrationengine.interfaces.web;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.security.enterprise.identitystore.openid.OpenIdContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What the pages' script needs: who is signed in, with which roles (to show or hide actions), and
 * the access token it sends to {@code /api}, where every call is checked again. Never cached.
 */
@WebServlet("/session.json")
public class SessionServlet extends HttpServlet {

  private static final String[] ROLES = {"admin", "operator", "auditor"};

  @Inject
  OpenIdContext openId;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    JsonArrayBuilder roles = Json.createArrayBuilder();
    for (String role : ROLES) {
      if (request.isUserInRole(role)) {
        roles.add(role);
      }
    }
    String body = Json.createObjectBuilder()
        .add("user", request.getUserPrincipal() == null ? "" : request.getUserPrincipal().getName())
        .add("roles", roles)
        .add("accessToken", openId.getAccessToken().getToken())
        .add("api", request.getContextPath().replaceFirst("/admin$", "") + "/api")
        .build().toString();
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
