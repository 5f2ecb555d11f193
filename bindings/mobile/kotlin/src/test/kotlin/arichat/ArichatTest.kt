package arichat

import java.io.File
import java.time.Instant
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.json.JSONObject
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertNotSame
import kotlin.test.assertNull
import kotlin.test.assertTrue
import uniffi.arichat.ArichatException
import uniffi.arichat.Lead
import uniffi.arichat.Scorecard
import uniffi.arichat.classify
import uniffi.arichat.normalizePhone
import uniffi.arichat.parseChannel
import uniffi.arichat.parseLeadStatus
import uniffi.arichat.phoneFromWaId
import uniffi.arichat.version
import uniffi.arichat_core.ChangeCause
import uniffi.arichat_core.Channel
import uniffi.arichat_core.ContributionKind
import uniffi.arichat_core.EngagementEvent
import uniffi.arichat_core.EngagementKind
import uniffi.arichat_core.ErrorCode
import uniffi.arichat_core.Grade
import uniffi.arichat_core.Intent
import uniffi.arichat_core.Language
import uniffi.arichat_core.LeadStatus
import uniffi.arichat_core.LifecycleStage
import uniffi.arichat_core.OptOutSignal
import uniffi.arichat_core.Transition
import uniffi.arichat_core.Value

class ArichatTest {
    private val t0: Instant = Instant.parse("2026-01-05T14:00:00Z")

    private fun newLead(): Lead = Lead("lead-1", "acme", "c-1", Channel.WHATSAPP, t0)

    /** Runs `block`, expects it to throw the core error `code`, returns the exception. */
    private fun coreError(code: ErrorCode, block: () -> Unit): ArichatException.Core {
        val err = assertFailsWith<ArichatException.Core> { block() }
        assertEquals(code, err.code, err.msg)
        return err
    }

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
        assertEquals(Transition.Status(LeadStatus.UNATTENDED, LeadStatus.INTERESTED), change.transition)
        assertEquals(t1, change.at)
        assertEquals(LeadStatus.INTERESTED, lead.status())
        assertEquals(t1, lead.updatedAt())

        lead.setStage(LifecycleStage.MQL, ChangeCause.RULE, "score 55 >= 50", t1)
        val history = lead.history()
        assertEquals(2, history.size)
        assertEquals(change, history[0])
        assertEquals(Transition.Stage(LifecycleStage.IQL, LifecycleStage.MQL), history[1].transition)
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

        val err = coreError(ErrorCode.ILLEGAL_STATUS_TRANSITION) {
            lead.setStatus(LeadStatus.UNATTENDED, ChangeCause.AGENT, "oops", t0.plusSeconds(1))
        }
        assertEquals("illegal lead status transition from interested to unattended", err.msg)
        assertEquals(LeadStatus.INTERESTED, lead.status())
        assertEquals(1, lead.history().size)
        assertEquals(before, lead.toJson())

        coreError(ErrorCode.ILLEGAL_STAGE_TRANSITION) {
            lead.setStage(LifecycleStage.IQL, ChangeCause.AGENT, "", t0)
        }
        lead.setStatus(LeadStatus.LOST, ChangeCause.INTENT, "opt_out", t0)
        val reopen = coreError(ErrorCode.AGENT_REQUIRED) {
            lead.setStatus(LeadStatus.NEGOTIATING, ChangeCause.RULE, "score", t0)
        }
        assertEquals("lead is lost: only an agent can move it to negotiating", reopen.msg)
        assertEquals(LeadStatus.LOST, lead.status())
    }

    @Test
    fun badInputRaisesTypedErrors() {
        val phone = coreError(ErrorCode.INVALID_PHONE) { normalizePhone("12", "CO") }
        assertTrue(phone.msg.startsWith("invalid phone number: "), phone.msg)

        val region = coreError(ErrorCode.UNKNOWN_REGION) { normalizePhone("300 123 4567", "ZZ") }
        assertEquals(
            "unknown region \"ZZ\": expected an ISO 3166-1 alpha-2 code such as \"CO\"",
            region.msg,
        )

        val json = coreError(ErrorCode.INVALID_JSON) { Lead.fromJson("{not json") }
        assertTrue(json.msg.startsWith("invalid lead JSON: "), json.msg)

        coreError(ErrorCode.INVALID_PHONE) { phoneFromWaId("52155abc") }
        coreError(ErrorCode.INVALID_PHONE) { normalizePhone("3001234567") }
        val variant = coreError(ErrorCode.UNKNOWN_VARIANT) { parseLeadStatus("open") }
        assertEquals(
            "unknown lead status \"open\"; expected one of: unattended, interested, negotiating, won, lost",
            variant.msg,
        )
        coreError(ErrorCode.UNKNOWN_VARIANT) { parseChannel("sms") }
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
            coreError(ErrorCode.INVALID_JSON) { Lead.fromJson(s) }
        }
        assertFailsWith<ArichatException.InvalidTime> { Lead("l", "t", "c", Channel.WHATSAPP, Instant.MAX) }
        assertFailsWith<ArichatException.InvalidTime> {
            newLead().setStatus(LeadStatus.WON, ChangeCause.AGENT, "", Instant.MIN)
        }
    }

    @Test
    fun errorCodeIsTheStableCode() {
        val thrown = assertFailsWith<ArichatException.Core> { normalizePhone("12", "CO") }
        // The Kotlin enum is the core's snake_case code in SCREAMING_CASE.
        assertEquals("invalid_phone", thrown.code.name.lowercase())
        assertTrue(thrown.message!!.contains(thrown.msg), thrown.message)
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

    // The scorecard is shared with the Node test (tests/vectors/scorecard.toml), and so are
    // the record and events below: both runtimes must give the same numbers.
    private val card: String =
        File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set"))
            .resolveSibling("tests/vectors/scorecard.toml")
            .readText()

    private val now: Instant = Instant.parse("2026-03-02T12:00:00Z")
    private fun hoursAgo(h: Long): Instant = now.minusSeconds(h * 3600)
    private val record = mapOf(
        "employees" to Value.Number(120.0),
        "email_domain" to Value.Text("gmail.com"),
        "vip" to Value.Bool(true),
        "phone" to Value.Null,
    )
    private val events = listOf(
        EngagementEvent(EngagementKind.INTENT, hoursAgo(24), Intent.PRICE_INQUIRY),
        EngagementEvent(EngagementKind.INBOUND_MESSAGE, hoursAgo(1)),
        EngagementEvent(EngagementKind.INBOUND_MESSAGE, hoursAgo(2)),
        // After `now`: ignored.
        EngagementEvent(EngagementKind.INBOUND_MESSAGE, now.plusSeconds(60)),
    )

    @Test
    fun classifiesOptOutAndPriceQuestions() {
        val text = "no me interesa"
        val optOut = classify(text)
        assertEquals(Intent.OPT_OUT, optOut.primary)
        val m = optOut.intents.first { it.intent == Intent.OPT_OUT }
        assertTrue(m.confidence > 0.0 && m.confidence <= 1.0, "$m")
        assertEquals(m.evidence, text.substring(m.start.toInt(), m.end.toInt()))

        val question = "Holaaa 👋 q precio tiene el envio a Cali?"
        val price = classify(question)
        assertEquals(Intent.PRICE_INQUIRY, price.primary)
        assertEquals(listOf(Intent.PRICE_INQUIRY, Intent.GREETING), price.intents.map { it.intent })
        for (i in price.intents) {
            // Offsets are Kotlin string indices (UTF-16), even after an emoji.
            assertEquals(i.evidence, question.substring(i.start.toInt(), i.end.toInt()))
        }
        assertEquals(Intent.OTHER, classify("").primary)
        assertEquals(Language.UNKNOWN, classify("").language)
    }

    @Test
    fun classifiesWithConfidenceLanguageAndOptOutSignal() {
        val stop = classify("ya no me escriban más por favor")
        assertEquals(Intent.OPT_OUT, stop.primary)
        assertEquals(OptOutSignal.EXPLICIT, stop.optOut)
        assertEquals(Language.ES, stop.language)
        assertEquals(false, stop.uncertain)
        assertTrue(stop.confidence > 0.5 && stop.confidence <= 1.0, "$stop")
        // A keyword asked about is not a request to leave.
        val quoted = classify("me llegó un SMS que dice \"responda BAJA para cancelar\", ¿es de ustedes?")
        assertNotEquals(Intent.OPT_OUT, quoted.primary)
        assertNull(classify("how much is the annual fee?").optOut)
    }

    // Written by the Rust core (crates/arichat-core/tests/conformance_intents.rs) and read
    // by every runtime's tests.
    @Test
    fun givesTheSharedIntentVectors() {
        val vectors = JSONObject(
            File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set"))
                .resolveSibling("tests/vectors/intents.json")
                .readText(),
        )
        val tolerance = vectors.getDouble("tolerance")
        val cases = vectors.getJSONArray("cases")
        assertTrue(cases.length() >= 40)
        for (i in 0 until cases.length()) {
            val case = cases.getJSONObject(i)
            val text = case.getString("text")
            val want = case.getJSONObject("expected")
            val got = classify(text)
            // The uniffi enums are the core's names in SCREAMING_CASE.
            assertEquals(want.getString("primary").uppercase(), got.primary.name, text)
            assertEquals(want.getString("language").uppercase(), got.language.name, text)
            assertEquals(want.getBoolean("uncertain"), got.uncertain, text)
            val optOut = if (want.isNull("opt_out")) null else want.getString("opt_out").uppercase()
            assertEquals(optOut, got.optOut?.name, text)
            assertTrue(
                Math.abs(got.confidence - want.getDouble("confidence")) <= tolerance,
                "$text: confidence ${got.confidence} vs ${want.getDouble("confidence")}",
            )
        }
    }

    @Test
    fun scorecardScoresARecordWithItsExplanation() {
        Scorecard.fromToml(card).use { sc ->
            val r = sc.score(record, events, now)
            assertEquals(45.0, r.fit)
            assertEquals(30.0, r.engagement)
            assertEquals(75.0, r.total)
            assertEquals(Grade.A, r.grade)
            assertEquals(LifecycleStage.MQL, r.stage)
            assertNull(r.probability)
            assertEquals(
                listOf(
                    Triple("base", ContributionKind.BASE, 10.0),
                    Triple("mid_size", ContributionKind.FIT, 40.0),
                    Triple("gmail", ContributionKind.FIT, -5.0),
                    Triple("asked_price", ContributionKind.ENGAGEMENT, 15.0),
                    Triple("wrote", ContributionKind.ENGAGEMENT, 15.0),
                ),
                r.contributions.map { Triple(it.rule, it.kind, it.points) },
            )
            assertEquals(listOf(0u, 0u, 0u, 1u, 2u), r.contributions.map { it.events })
            assertEquals("Free email", r.contributions[2].name)
            assertEquals(r.total, r.contributions.sumOf { it.points })

            // No events: fit only. JSON gives the same card.
            Scorecard.fromJson(sc.toJson()).use { again ->
                val fitOnly = again.score(record, emptyList(), now)
                assertEquals(45.0, fitOnly.total)
                assertEquals(Grade.C, fitOnly.grade)
                assertEquals(LifecycleStage.MQL, fitOnly.stage)
            }
            val empty = sc.score(emptyMap(), emptyList(), now)
            assertEquals(10.0, empty.total)
            assertEquals(Grade.D, empty.grade)
            assertEquals(LifecycleStage.IQL, empty.stage)
            assertFailsWith<ArichatException.InvalidTime> { sc.score(record, events, Instant.MAX) }
        }
    }

    @Test
    fun badScorecardsRaiseTypedErrors() {
        val toml = coreError(ErrorCode.INVALID_SCORECARD) { Scorecard.fromToml("[[fit]\nid = ") }
        assertTrue(toml.msg.startsWith("invalid scorecard: cannot read scorecard toml: "), toml.msg)
        val dup = coreError(ErrorCode.INVALID_SCORECARD) {
            Scorecard.fromToml(
                "[[fit]]\nid = \"x\"\nfield = \"a\"\nequals = 1\npoints = 1\n" +
                    "[[fit]]\nid = \"x\"\nfield = \"b\"\nequals = 2\npoints = 1\n",
            )
        }
        assertEquals("invalid scorecard: duplicate rule id \"x\"", dup.msg)
        coreError(ErrorCode.INVALID_SCORECARD) { Scorecard.fromJson("{not json") }
    }
}
