/**
 * Background agents over HTTP: {@link dev.genaiprocessors.server.agents.HttpAgent} hands the tasks of
 * {@link dev.genaiprocessors.live.agents.BackgroundAgents} to agent servers, which is how agent work spreads
 * over machines (any number of servers behind a load balancer).
 */
@NullMarked
package dev.genaiprocessors.server.agents;

import org.jspecify.annotations.NullMarked;
