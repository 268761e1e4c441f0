/**
 * SOFH framing of SBE messages: {@link io.ringfence.gateway.frame.SofhHeader} (the layout),
 * {@link io.ringfence.gateway.frame.FrameDecoder} (whole frames, zero-copy, every malformation
 * classified as a {@link io.ringfence.gateway.frame.FrameError}),
 * {@link io.ringfence.gateway.frame.ReceiveBuffer} (partial frames kept across reads),
 * {@link io.ringfence.gateway.frame.MessageShapes} (which templates a side accepts and how their
 * bodies are laid out) and {@link io.ringfence.gateway.frame.FrameEncoder}. Shared by the server
 * and, later, the client library.
 */
package io.ringfence.gateway.frame;
