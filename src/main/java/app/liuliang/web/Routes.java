package app.liuliang.web;

import io.javalin.config.RoutesConfig;

/** A group of HTTP routes, added to the server by {@link app.liuliang.app.Wiring}. */
public interface Routes {

  void addTo(RoutesConfig routes);
}
