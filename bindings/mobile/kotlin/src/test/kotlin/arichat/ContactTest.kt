package arichat

import java.io.File
import org.json.JSONObject
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import io.github.arichat.ContactBook
import io.github.arichat.core.ErrorCode
import io.github.arichat.core.WhatsappIdKind
import io.github.arichat.core.WhatsappIds

/** Tests of `ContactBook` (bindings/mobile/src/contact.rs). */
class ContactTest {
    private val vectors = JSONObject(
        File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set"))
            .resolveSibling("tests/vectors/contacts.json")
            .readText(),
    )

    private fun JSONObject.str(key: String): String? = optString(key, null)

    private fun ids(o: JSONObject) = WhatsappIds(
        waId = o.str("wa_id"),
        userId = o.str("user_id"),
        parentUserId = o.str("parent_user_id"),
        username = o.str("username"),
    )

    private fun kind(name: String) = when (name) {
        "user_id" -> WhatsappIdKind.USER_ID
        "parent_user_id" -> WhatsappIdKind.PARENT_USER_ID
        "wa_id" -> WhatsappIdKind.WA_ID
        else -> error("unknown kind $name")
    }

    /** One step of a sequence: the contact id it returns (`null`: nobody known). */
    private fun run(book: ContactBook, step: JSONObject): String? {
        step.optJSONObject("resolve")?.let { return book.resolve(ids(it), step.getString("new_id")).id }
        val change = step.getJSONObject("apply")
        return book.applyChange(
            kind(change.getString("kind")),
            change.str("old"),
            change.getString("new"),
            step.optJSONObject("contact")?.let { ids(it) },
        )
    }

    // The Rust core's crates/arichat-core/tests/conformance_contacts.rs reads the same file.
    @Test
    fun givesTheSharedContactVectors() {
        val tenant = vectors.getString("tenant")
        val sequences = vectors.getJSONArray("sequences")
        assertTrue(sequences.length() >= 6)
        for (s in 0 until sequences.length()) {
            val seq = sequences.getJSONObject(s)
            val book = ContactBook(tenant)
            val steps = seq.getJSONArray("steps")
            for (i in 0 until steps.length()) {
                val step = steps.getJSONObject(i)
                val at = "${seq.getString("name")}, step $i"
                val code = step.str("error")
                if (code != null) {
                    val before = book.toJson()
                    coreError(ErrorCode.valueOf(code.uppercase())) { run(book, step) }
                    assertEquals(before, book.toJson(), "$at: the book changed on error")
                    assertEquals(step.getInt("count"), book.contacts().size, at)
                    continue
                }
                val got = run(book, step)
                val expect = step.getJSONObject("expect")
                assertEquals(expect.str("contact_id"), got, at)
                assertEquals(expect.getInt("count"), book.contacts().size, at)
                if (got == null) continue
                val contact = assertNotNull(book.get(got), at)
                assertEquals(ids(expect.getJSONObject("identity")), contact.whatsapp, at)
                assertEquals(expect.str("phone"), contact.phone, at)
            }
        }
    }

    @Test
    fun aBookSurvivesToJsonAndFromJson() {
        val book = ContactBook("acme")
        book.resolve(WhatsappIds(waId = "16505551234"), "c-1")
        book.resolve(WhatsappIds(waId = "16505551234", userId = "US.13491208655302741918"), "c-2")
        book.resolve(WhatsappIds(userId = "US.24817305912873645029", username = "bruno_k"), "c-3")
        val copy = ContactBook.fromJson(book.toJson())
        assertEquals(book.contacts(), copy.contacts())
        assertEquals(listOf("c-1", "c-3"), copy.contacts().map { it.id })
        assertEquals("acme", copy.tenantId())
        assertEquals(book.toJson(), copy.toJson())
        // The copy resolves as the original did: by BSUID, to the phone-first contact.
        assertEquals("c-1", copy.resolve(WhatsappIds(userId = "US.13491208655302741918"), "c-9").id)
        assertNull(copy.get("c-9"))
        coreError(ErrorCode.INVALID_JSON) { ContactBook.fromJson("{\"tenant_id\":") }
        coreError(ErrorCode.INVALID_CONFIG) {
            ContactBook.fromJson("""{"tenant_id":"acme","contacts":[{"id":"c-1","tenant_id":"other"}]}""")
        }
    }
}
