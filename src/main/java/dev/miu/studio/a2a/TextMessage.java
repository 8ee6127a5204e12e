package dev.miu.studio.a2a;

/**
 * A message of a task, as miu keeps it: text only (a data part arrives as its JSON text).
 *
 * @param fromUser true for the client's (role user), false for the agent's
 */
record TextMessage(String messageId, boolean fromUser, String text, String contextId, String taskId) {}
