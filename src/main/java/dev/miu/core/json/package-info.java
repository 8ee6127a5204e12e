/** Small helpers over Jakarta JSON-P: parsing with clear errors, writing, and typed reads. */
package dev.miu.core.json;
