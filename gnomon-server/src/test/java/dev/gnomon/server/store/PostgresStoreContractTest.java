package dev.gnomon.server.store;

import org.junit.jupiter.api.DisplayName;

@DisplayName("store contract on PostgreSQL")
class PostgresStoreContractTest extends StoreContract {

    @Override
    protected TestDatabase emptyDatabase() {
        return TestDatabase.postgres();
    }
}
