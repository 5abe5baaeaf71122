/**
 * Background agents beside a live conversation: long work (sending an email, updating a calendar,
 * researching a topic) that runs while the conversation goes on, and whose result comes back into it as
 * the application chooses. {@link dev.genaiprocessors.live.agents.BackgroundAgents} wraps any
 * {@link dev.genaiprocessors.live.LiveProcessor}; the agent is any {@link
 * dev.genaiprocessors.live.agents.BackgroundAgent} (an in-process {@link dev.genaiprocessors.core.Processor}
 * by default, or an HTTP endpoint). Conversations are traced with Micrometer Observation when a registry
 * is given.
 */
@NullMarked
package dev.genaiprocessors.live.agents;

import org.jspecify.annotations.NullMarked;
