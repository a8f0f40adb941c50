package io.integrationengine.interfaces.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Puts the query of the page first asked for back into the address bar after signing in. The
 * OpenID mechanism (Soteria, with {@code redirectToOriginalResource}) sends the browser back to that
 * page's path with the identity provider's answer ({@code code}, {@code state}) as its query and
 * hands the page the original parameters only on the server side; the pages read theirs in the
 * browser, so {@code message.html?id=...} opened while signed out used to land on an empty message
 * page. On that landing request this filter redirects to the same path with the original
 * parameters, which also takes the one-time code out of the address bar.
 */
@WebFilter("/*")
public class ReturnAfterSignIn extends HttpFilter {

  /** What the identity provider appends to the redirect URI; never a page's own parameter. */
  private static final Set<String> CALLBACK_PARAMETERS = Set.of("code", "state", "session_state", "iss", "error", "error_description");

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    if ("GET".equals(request.getMethod()) && request.getUserPrincipal() != null && isSignInLanding(request.getQueryString())) {
      response.setHeader("Cache-Control", "no-store");
      response.sendRedirect(request.getRequestURI() + originalQuery(request.getParameterMap()));
      return;
    }
    chain.doFilter(request, response);
  }

  /** The address bar's query (not the restored parameters): does it carry the provider's answer? */
  static boolean isSignInLanding(String queryString) {
    if (queryString == null) {
      return false;
    }
    Set<String> names = Set.copyOf(Arrays.stream(queryString.split("&")).map(p -> p.split("=", 2)[0]).toList());
    return names.contains("code") && names.contains("state");
  }

  /**
   * The parameters of the request first made, as Soteria restores them on the landing request; if
   * it did not, only the provider's answer is there and the page opens without a query.
   */
  static String originalQuery(Map<String, String[]> parameters) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    parameters.forEach((name, values) -> {
      if (!CALLBACK_PARAMETERS.contains(name)) {
        for (String value : values) {
          query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
      }
    });
    return query.toString();
  }
}
