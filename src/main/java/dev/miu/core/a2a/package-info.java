/**
 * The A2A client: a remote Agent2Agent (A2A 1.0, JSON-RPC binding) agent read from its agent card and offered to a
 * model as a tool ({@link dev.miu.core.a2a.A2aTool}), each call one task sent to it.
 */
package dev.miu.core.a2a;
