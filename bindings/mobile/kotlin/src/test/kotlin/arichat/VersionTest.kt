package arichat

import kotlin.test.Test
import kotlin.test.assertEquals
import io.github.arichat.version

/** Tests of `version()` (bindings/mobile/src/lib.rs). */
class VersionTest {
    @Test
    fun versionIsTheCrateVersion() {
        assertEquals(workspaceVersion(), version())
    }
}
