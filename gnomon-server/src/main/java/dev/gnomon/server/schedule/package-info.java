/**
 * When jobs fire: cron expressions with Gnomon's daylight-saving rules, the evaluated schedule of
 * a job, and the misfire policies applied after downtime or failover. Pure logic: no I/O, and
 * time is always passed in. cron-utils stays inside this package.
 */
package dev.gnomon.server.schedule;
