package dev.gnomon.server.store;

import org.junit.jupiter.api.DisplayName;

@DisplayName("store contract on H2 (embedded, in memory)")
class H2StoreContractTest extends StoreContract {

    @Override
    protected TestDatabase emptyDatabase() {
        return TestDatabase.h2();
    }
}
