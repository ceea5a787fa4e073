package dev.gnomon.server.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.definition.FieldDefinition;
import java.util.List;

/** The two accepted cron forms, told apart by their number of fields. */
enum CronForm {
    UNIX(CronType.UNIX, List.of("minute", "hour", "day-of-month", "month", "day-of-week")),
    QUARTZ(CronType.QUARTZ, List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week", "year"));

    static final String ALLOWED = "use 5 fields (Unix: minute hour day-of-month month day-of-week, e.g. '30 2 * * *')"
        + " or 6-7 fields (Quartz: second minute hour day-of-month month day-of-week [year], e.g. '0 30 2 * * ?')";

    private final CronDefinition definition;
    private final List<String> fieldNames;

    CronForm(CronType type, List<String> fieldNames) {
        this.definition = CronDefinitionBuilder.instanceDefinitionFor(type);
        this.fieldNames = fieldNames;
    }

    static CronForm forFieldCount(int count) {
        if (count == 5) {
            return UNIX;
        }
        return count == 6 || count == 7 ? QUARTZ : null;
    }

    CronDefinition definition() {
        return definition;
    }

    String fieldName(int index) {
        return fieldNames.get(index);
    }

    /** What field {@code index} allows, such as "0-23" or "1-12 or JAN-DEC". */
    String allowed(int index) {
        FieldDefinition field = definition.getFieldDefinition(cronFieldName(index));
        String range = field.getConstraints().getStartRange() + "-" + field.getConstraints().getEndRange();
        return switch (fieldName(index)) {
            case "month" -> range + " or JAN-DEC";
            case "day-of-week" -> range + (this == UNIX ? " (0 and 7 are Sunday)" : " (1 is Sunday)") + " or SUN-SAT";
            default -> range;
        };
    }

    /** The largest value field {@code index} allows. */
    int end(int index) {
        return definition.getFieldDefinition(cronFieldName(index)).getConstraints().getEndRange();
    }

    private CronFieldName cronFieldName(int index) {
        return CronFieldName.valueOf(fieldName(index).toUpperCase().replace('-', '_'));
    }
}
