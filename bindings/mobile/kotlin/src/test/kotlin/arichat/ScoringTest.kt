package arichat

import java.time.Instant
import org.json.JSONArray
import org.json.JSONObject
import kotlin.math.abs
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import io.github.arichat.InternalException
import io.github.arichat.Scorecard
import io.github.arichat.core.EngagementEvent
import io.github.arichat.core.EngagementKind
import io.github.arichat.core.ErrorCode
import io.github.arichat.core.Intent
import io.github.arichat.core.ScoreResult

/** Tests of `Scorecard` (bindings/mobile/src/scoring.rs). */
class ScoringTest {
    // The cases of tests/vectors/scoring.json, with the scores Rust wrote
    // (crates/arichat-core/tests/conformance_scoring.rs); Python and Node check the same file.
    private val vectors = JSONObject(repoFile("tests/vectors/scoring.json").readText())
    private val tolerance = vectors.getDouble("tolerance")
    private val cases = vectors.getJSONArray("cases").let { a -> (0 until a.length()).map { a.getJSONObject(it) } }

    private fun cardText(name: String): String {
        val source = vectors.getJSONObject("scorecards").getJSONObject(name)
        return if (source.has("file")) {
            repoFile("tests/vectors/" + source.getString("file")).readText()
        } else {
            source.getJSONArray("toml").joinToString("\n") { it as String }
        }
    }

    private fun events(a: JSONArray): List<EngagementEvent> = (0 until a.length()).map { i ->
        val e = a.getJSONObject(i)
        EngagementEvent(
            EngagementKind.valueOf(e.getString("kind").uppercase()),
            Instant.parse(e.getString("at")),
            e.optString("intent", "").takeIf { it.isNotEmpty() }?.let { Intent.valueOf(it.uppercase()) },
            e.optString("payload", "").takeIf { it.isNotEmpty() },
        )
    }

    private fun score(case: JSONObject): ScoreResult = Scorecard.fromToml(cardText(case.getString("scorecard"))).use {
        it.score(jsonValues(case.getJSONObject("record")), events(case.getJSONArray("events")), Instant.parse(case.getString("now")))
    }

    /** What differs from `want` (an `expected` block): points within the file's tolerance, the rest exactly. */
    private fun differences(r: ScoreResult, want: JSONObject): List<String> {
        val out = mutableListOf<String>()
        fun close(what: String, got: Double, w: Double) {
            if (abs(got - w) > tolerance) out += "$what: got $got, want $w"
        }
        close("total", r.total, want.getDouble("total"))
        close("fit", r.fit, want.getDouble("fit"))
        close("engagement", r.engagement, want.getDouble("engagement"))
        val gradeStage = r.grade.name.lowercase() to r.stage.name.lowercase()
        if (gradeStage != (want.getString("grade") to want.getString("stage"))) out += "grade/stage: got $gradeStage"
        when {
            want.has("probability") && r.probability != null -> close("probability", r.probability!!, want.getDouble("probability"))
            want.has("probability") || r.probability != null -> out += "probability: got ${r.probability}"
        }
        val lines = want.getJSONArray("contributions").let { a -> (0 until a.length()).map { a.getJSONObject(it) } }
        val gotLines = r.contributions.map { listOf(it.rule, it.name, it.kind.name.lowercase(), it.events.toInt()) }
        val wantLines = lines.map { listOf(it.getString("rule"), it.optString("name", null), it.getString("kind"), it.optInt("events", 0)) }
        if (gotLines != wantLines) out += "contributions: got $gotLines, want $wantLines"
        r.contributions.zip(lines).forEach { (c, w) -> close("points of ${c.rule}", c.points, w.getDouble("points")) }
        return out
    }

    @Test
    fun scorecardsGiveTheScoresOfTheSharedVectors() {
        val wrong = cases.flatMap { case ->
            differences(score(case), case.getJSONObject("expected")).map { "${case.getString("name")}: $it" }
        }
        assertTrue(cases.size >= 10, "cases: ${cases.size}")
        assertTrue(wrong.isEmpty(), wrong.joinToString("\n"))
    }

    @Test
    fun aCardThroughJsonScoresTheSameAndTimesOutOfRangeAreErrors() {
        // The demo card's first case, for what the file does not hold.
        val demo = cases.single { it.getString("name") == "demo_hot" }
        val record = jsonValues(demo.getJSONObject("record"))
        val events = events(demo.getJSONArray("events"))
        val now = Instant.parse(demo.getString("now"))
        Scorecard.fromToml(cardText(demo.getString("scorecard"))).use { sc ->
            val r = sc.score(record, events, now)
            assertEquals(r.total, r.contributions.sumOf { it.points })
            Scorecard.fromJson(sc.toJson()).use { again -> assertEquals(r, again.score(record, events, now)) }
            coreError(ErrorCode.TIME_OUT_OF_RANGE) { sc.score(record, events, Instant.MAX) }
            // An event time lifts through the core's record, which cannot name this crate's
            // error: outside the core's range it is UniFFI's InternalException (README).
            val far = listOf(EngagementEvent(EngagementKind.INBOUND_MESSAGE, Instant.MAX))
            assertFailsWith<InternalException> { sc.score(record, far, now) }
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
