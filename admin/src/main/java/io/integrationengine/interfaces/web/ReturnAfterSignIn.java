package io.integrationengine.interfaces.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * Opens the page first asked for with its query after signing in. The OpenID mechanism (Soteria,
 * with {@code redirectToOriginalResource}) sends the browser back to that page's path with the
 * identity provider's answer ({@code code}, {@code state}) as its query instead of the page's own,
 * and the pages read theirs in the browser: {@code message.html?id=...} opened while signed out
 * landed on an empty message page.
 *
 * <p>As a request listener it runs before authentication: a page asked for in a session that has
 * not signed in yet is remembered in the session, with its query. As a filter it sees only
 * signed-in requests: it marks the session as signed in, and on the landing request (the
 * provider's answer in the query) redirects to the page remembered for that path, which also takes
 * the one-time code out of the address bar.
 */
@WebListener
@WebFilter("/*")
public class ReturnAfterSignIn extends HttpFilter implements ServletRequestListener {

  private static final String ASKED_FOR = ReturnAfterSignIn.class.getName() + ".askedFor";
  private static final String SIGNED_IN = ReturnAfterSignIn.class.getName() + ".signedIn";

  @Override
  public void requestInitialized(ServletRequestEvent event) {
    if (!(event.getServletRequest() instanceof HttpServletRequest request) || !"GET".equals(request.getMethod())) {
      return;
    }
    String path = request.getRequestURI();
    boolean page = path.endsWith("/") || path.endsWith(".html");
    if (!page || request.getQueryString() == null || isSignInLanding(request.getQueryString())) {
      return;
    }
    HttpSession session = request.getSession(false);
    if (session == null || session.getAttribute(SIGNED_IN) == null) {
      request.getSession(true).setAttribute(ASKED_FOR, path + "?" + request.getQueryString());
    }
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    if (request.getUserPrincipal() != null) {
      HttpSession session = request.getSession();
      if (session.getAttribute(SIGNED_IN) == null) {
        session.setAttribute(SIGNED_IN, Boolean.TRUE);
      }
      if ("GET".equals(request.getMethod()) && isSignInLanding(request.getQueryString())) {
        Object askedFor = session.getAttribute(ASKED_FOR);
        session.removeAttribute(ASKED_FOR);
        String path = request.getRequestURI();
        boolean samePage = askedFor instanceof String asked && asked.startsWith(path + "?");
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(samePage ? (String) askedFor : path);
        return;
      }
    }
    chain.doFilter(request, response);
  }

  /** Does the address bar's query carry the identity provider's answer? No page has parameters of these names. */
  static boolean isSignInLanding(String queryString) {
    if (queryString == null) {
      return false;
    }
    Set<String> names = Set.copyOf(Arrays.stream(queryString.split("&")).map(p -> p.split("=", 2)[0]).toList());
    return names.contains("code") && names.contains("state");
  }
}
