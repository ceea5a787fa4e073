package dev.gnomon.server.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * The store contract: every store behaves the same on every database Gnomon supports. A
 * subclass only says which database; the tests live in the interfaces this class implements.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract implements MigrationContract, AppContract, LeaseContract, FencingContract,
    TickContract, InstanceContract, TaskContract, WaitingTaskContract, LogContract, JobContract, DirectoryContract,
    RefusedReportContract, SubTaskContract {

    private TestDatabase testDatabase;
    private Database db;
    private Stores stores;
    private String skipped;

    /** An empty database of the kind under test. */
    protected abstract TestDatabase emptyDatabase();

    @BeforeAll
    void openDatabase() {
        try {
            testDatabase = emptyDatabase();
        } catch (TestAbortedException unreachable) {
            skipped = unreachable.getMessage();
            return;
        }
        db = testDatabase.open();
        stores = Stores.on(db);
    }

    /** Reports every test as skipped, not the class as empty, when the database is unreachable. */
    @BeforeEach
    void requireDatabase() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
        if (testDatabase != null) {
            testDatabase.drop();
        }
    }

    @Override
    public Stores stores() {
        return stores;
    }

    @Override
    public TestDatabase testDatabase() {
        return testDatabase;
    }
}
