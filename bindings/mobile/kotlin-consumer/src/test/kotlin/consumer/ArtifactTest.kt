package consumer

import com.sun.jna.NativeLibrary
import io.github.arichat.CampaignBundle
import io.github.arichat.CampaignCustomer
import io.github.arichat.classify
import io.github.arichat.core.Intent
import io.github.arichat.core.Reason
import io.github.arichat.core.Value
import io.github.arichat.version
import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** What a bank app's build gets from `io.github.arichat:arichat` alone. */
class ArtifactTest {
    @Test
    fun theNativeLibraryComesFromTheJar() {
        assertNull(System.getProperty("jna.library.path"), "this project must not point JNA at a build directory")
        assertTrue(version().isNotEmpty())
        // JNA extracted the library from the jar's platform folder into a temporary file.
        val lib = NativeLibrary.getInstance("arichat_mobile")
        assertTrue(lib.file.name.startsWith("jna"), "loaded from ${lib.file}, not from the jar")
    }

    @Test
    fun classifiesAndAssignsOffline() {
        assertEquals(Intent.OPT_OUT, classify("por favor no me escriban más").primary)
        val bundle = CampaignBundle.fromToml(
            """
            version = "app-test"
            [[campaigns]]
            id = "pension_advance"
            eligibility = { field = "age", gte = 60 }
            offer = { product = "pension_advance" }
            """.trimIndent(),
        )
        val now = Instant.parse("2026-12-03T08:00:00Z").toEpochMilli()
        val retiree = CampaignCustomer("c-1", mapOf("age" to Value.Number(75.0)))
        val young = CampaignCustomer("c-2", mapOf("age" to Value.Number(25.0)))
        val got = bundle.assignCustomer(retiree, now).single()
        assertEquals("pension_advance", got.campaignId)
        assertEquals(Reason.TARGETING_MATCH, got.reason)
        assertTrue(bundle.assignCustomer(young, now).isEmpty())
    }
}
