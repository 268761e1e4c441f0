/** The {@code gateway:} configuration section, validated once before the server starts. */
package io.ringfence.gateway.config;
