package dev.gnomon.cli;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.FireTimes;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "next", mixinStandardHelpOptions = true,
    description = "Show when a job fires next, in UTC and in its schedule's zone.")
final class JobNextCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    long id;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10", description = "How many (default ${DEFAULT-VALUE}).")
    int count;

    @Override
    void run(GnomonClient client, Output out) {
        if (count < 1) {
            throw new ParameterException(spec.commandLine(),
                "Invalid value for option '--count': " + count + " is less than 1");
        }
        FireTimes times = client.jobs().fireTimes(id, count);
        ZoneId zone = times.timeZone() == null ? ZoneOffset.UTC : ZoneId.of(times.timeZone());
        Table table = new Table("#", "UTC", "LOCAL (" + zone.getId() + ")");
        int n = 1;
        for (Instant time : times.times()) {
            table.row(n++, time, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.truncatedTo(ChronoUnit.SECONDS).atZone(zone)));
        }
        out.show(times, table);
    }
}
