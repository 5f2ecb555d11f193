package arichat

import java.io.File
import java.time.Instant
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotSame
import kotlin.test.assertTrue
import uniffi.arichat.ArichatException
import uniffi.arichat.ChangeCause
import uniffi.arichat.Channel
import uniffi.arichat.Lead
import uniffi.arichat.LeadField
import uniffi.arichat.LeadStatus
import uniffi.arichat.LifecycleStage
import uniffi.arichat.normalizePhone
import uniffi.arichat.parseChannel
import uniffi.arichat.parseLeadStatus
import uniffi.arichat.phoneFromWaId
import uniffi.arichat.version

class ArichatTest {
    private val t0: Instant = Instant.parse("2026-01-05T14:00:00Z")

    private fun newLead(): Lead = Lead("lead-1", "acme", "c-1", Channel.WHATSAPP, t0)

    /** The `version` of `[workspace.package]` in the root Cargo.toml. */
    private fun workspaceVersion(): String {
        val cargoToml = File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set"))
        var inWorkspacePackage = false
        for (line in cargoToml.readLines().map { it.trim() }) {
            if (line.startsWith("[")) inWorkspacePackage = line == "[workspace.package]"
            val m = Regex("""^version\s*=\s*"([^"]+)"""").find(line)
            if (inWorkspacePackage && m != null) return m.groupValues[1]
        }
        error("no version in [workspace.package] of $cargoToml")
    }

    @Test
    fun versionIsTheCrateVersion() {
        assertEquals(workspaceVersion(), version())
    }

    @Test
    fun normalizesPhones() {
        assertEquals("+573001234567", normalizePhone("300 123 4567", "CO"))
        assertEquals("+573001234567", normalizePhone("(300) 123-4567", "co"))
        assertEquals("+573001234567", normalizePhone("+57 300 123 4567"))
        assertEquals("+5215512345678", phoneFromWaId("5215512345678"))
    }

    @Test
    fun leadLifecycleRoundTrip() {
        val lead = newLead()
        assertEquals("lead-1", lead.id())
        assertEquals("acme", lead.tenantId())
        assertEquals(LeadStatus.UNATTENDED, lead.status())
        assertEquals(LifecycleStage.IQL, lead.stage())
        assertEquals(t0, lead.createdAt())

        val t1 = t0.plusSeconds(60).plusNanos(123_456_789)
        val change = lead.setStatus(LeadStatus.INTERESTED, ChangeCause.INTENT, "asked for a quote", t1)
        assertEquals(LeadField.STATUS, change.field)
        assertEquals("unattended", change.from)
        assertEquals("interested", change.to)
        assertEquals(t1, change.at)
        assertEquals(LeadStatus.INTERESTED, lead.status())
        assertEquals(t1, lead.updatedAt())

        lead.setStage(LifecycleStage.MQL, ChangeCause.RULE, "score 55 >= 50", t1)
        val history = lead.history()
        assertEquals(2, history.size)
        assertEquals(change, history[0])
        assertEquals(LeadField.STAGE, history[1].field)
        assertEquals("iql", history[1].from)
        assertEquals("mql", history[1].to)
        assertEquals(ChangeCause.RULE, history[1].cause)
        assertEquals("score 55 >= 50", history[1].reason)

        val json = lead.toJson()
        assertTrue(json.contains("\"created_at\":\"2026-01-05T14:00:00Z\""), json)
        Lead.fromJson(json).use { copy ->
            assertNotSame(lead, copy)
            assertEquals(lead, copy)
            assertEquals(json, copy.toJson())
            assertEquals(history, copy.history())
            assertEquals(LifecycleStage.MQL, copy.stage())
        }
    }

    @Test
    fun illegalTransitionRaisesAndChangesNothing() {
        val lead = newLead()
        lead.setStatus(LeadStatus.INTERESTED, ChangeCause.AGENT, "", t0)
        val before = lead.toJson()

        val err = assertFailsWith<ArichatException.IllegalStatusTransition> {
            lead.setStatus(LeadStatus.UNATTENDED, ChangeCause.AGENT, "oops", t0.plusSeconds(1))
        }
        assertEquals("illegal lead status transition from interested to unattended", err.message)
        assertEquals(LeadStatus.INTERESTED, lead.status())
        assertEquals(1, lead.history().size)
        assertEquals(before, lead.toJson())

        assertFailsWith<ArichatException.IllegalStageTransition> {
            lead.setStage(LifecycleStage.IQL, ChangeCause.AGENT, "", t0)
        }
        lead.setStatus(LeadStatus.LOST, ChangeCause.INTENT, "opt_out", t0)
        val reopen = assertFailsWith<ArichatException.AgentRequired> {
            lead.setStatus(LeadStatus.NEGOTIATING, ChangeCause.RULE, "score", t0)
        }
        assertEquals("lead is lost: only an agent can move it to negotiating", reopen.message)
        assertEquals(LeadStatus.LOST, lead.status())
    }

    @Test
    fun badInputRaisesTypedErrors() {
        val phone = assertFailsWith<ArichatException.InvalidPhone> { normalizePhone("12", "CO") }
        assertTrue(phone.message!!.startsWith("invalid phone number: "), phone.message)

        val region = assertFailsWith<ArichatException.UnknownRegion> { normalizePhone("300 123 4567", "ZZ") }
        assertEquals(
            "unknown region \"ZZ\": expected an ISO 3166-1 alpha-2 code such as \"CO\"",
            region.message,
        )

        val json = assertFailsWith<ArichatException.InvalidJson> { Lead.fromJson("{not json") }
        assertTrue(json.message!!.startsWith("invalid lead JSON: "), json.message)

        assertFailsWith<ArichatException.InvalidPhone> { phoneFromWaId("52155abc") }
        assertFailsWith<ArichatException.InvalidPhone> { normalizePhone("3001234567") }
        val variant = assertFailsWith<ArichatException.UnknownVariant> { parseLeadStatus("open") }
        assertEquals(
            "unknown lead status \"open\"; expected one of: unattended, interested, negotiating, won, lost",
            variant.message,
        )
        assertFailsWith<ArichatException.UnknownVariant> { parseChannel("sms") }
        assertEquals(Channel.TELEGRAM, parseChannel("telegram"))
    }

    @Test
    fun hostileInputNeverCrashes() {
        // Every failure is an ArichatException (never a JVM crash or an untyped InternalException).
        val inputs = listOf("", " ", "\u0000", "+", "00", "🙂".repeat(100), "9".repeat(10_000), "{}", "[]", "null")
        for (s in inputs) {
            runCatching { normalizePhone(s, "CO") }.exceptionOrNull()?.let { assertTrue(it is ArichatException, "$s: $it") }
            runCatching { normalizePhone("300 123 4567", s) }.exceptionOrNull()?.let { assertTrue(it is ArichatException, "$s: $it") }
            runCatching { phoneFromWaId(s) }.exceptionOrNull()?.let { assertTrue(it is ArichatException, "$s: $it") }
            assertFailsWith<ArichatException.InvalidJson> { Lead.fromJson(s) }
        }
        assertFailsWith<ArichatException.InvalidTime> { Lead("l", "t", "c", Channel.WHATSAPP, Instant.MAX) }
        assertFailsWith<ArichatException.InvalidTime> {
            newLead().setStatus(LeadStatus.WON, ChangeCause.AGENT, "", Instant.MIN)
        }
    }

    @Test
    fun errorSubclassIsTheStableCode() {
        val thrown: ArichatException = assertFailsWith<ArichatException> { normalizePhone("12", "CO") }
        val code = thrown::class.simpleName!!.replace(Regex("([a-z])([A-Z])"), "$1_$2").lowercase()
        assertEquals("invalid_phone", code)
    }

    @Test
    fun leadIsSafeToShareAcrossThreads() {
        val lead = newLead()
        lead.setStage(LifecycleStage.MQL, ChangeCause.RULE, "", t0)
        val pool = Executors.newFixedThreadPool(4)
        val results = (1..200).map { i ->
            pool.submit<Boolean> {
                // Only one of the concurrent moves to SQL can succeed.
                runCatching { lead.setStage(LifecycleStage.SQL, ChangeCause.RULE, "r$i", t0) }.isSuccess
            }
        }.map { it.get() }
        pool.shutdown()
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS))
        assertEquals(1, results.count { it })
        assertEquals(LifecycleStage.SQL, lead.stage())
        assertEquals(2, lead.history().size)
    }
}
