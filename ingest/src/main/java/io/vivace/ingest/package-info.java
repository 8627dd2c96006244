/**
 * The write-log contract between distributors and ingesters: a distributor appends validated
 * batches and answers its client once the append is durable. In single-binary mode the log is
 * in-process and durability comes from the ingester's WAL; in microservices mode it is Kafka.
 */
package io.vivace.ingest;
