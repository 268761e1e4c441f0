/**
 * The NIO server: {@link io.ringfence.gateway.server.GatewayServer} wires and starts it;
 * {@code GatewayAgent} is the I/O thread's loop (accept, read, decode, service, write).
 */
package io.ringfence.gateway.server;
