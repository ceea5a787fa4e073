package dev.gnomon.server.store;

import org.junit.jupiter.api.DisplayName;

@DisplayName("store contract on MariaDB")
class MariaDbStoreContractTest extends StoreContract {

    @Override
    protected TestDatabase emptyDatabase() {
        return TestDatabase.mariaDb();
    }
}
