<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name />
        <message>
            <source>Day</source>
            <extracomment>New data is shown (after each background read). Suggestions were recorded as entries: the list of entries.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show one day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the week, Monday to Sunday</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Previous day or week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Today</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Go to today</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Next day or week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zoom out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zoom in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the hours that hold anything</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept all shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record every suggested session shown that no entry overlaps yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept all suggestions shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scroll the hours shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Bars: entries · dashed: suggested sessions, click one to accept it · dotted: suggestions entries already cover · beneath: file activity, commits (ticks), time away (hatched). Drag an entry's edge to change it; Ctrl+wheel zooms.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>BarChart</name>
        <message>
            <source>Hours chart</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n bar(s), %1 hours in all</source>
            <translation>
                <numerusform>%n bar, %1 hours in all</numerusform>
                <numerusform>%n bars, %1 hours in all</numerusform>
            </translation>
        </message>
        <message>
            <source>No hours</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>EntriesPanel</name>
        <message>
            <source>Period</source>
            <extracomment>Text typed in the search box is applied after this pause. The selected entry changed (None when nothing is selected). A row was double-clicked or Enter pressed on it. A reload's first page of entries is shown. A reload's totals and chart are shown too.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All clients</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All projects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search project, client, task, note, tags</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search entries</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Show:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Totals</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group totals by</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Totals &amp;by</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n entr(y|ies)</source>
            <extracomment>"Acme: approved through log size N on DATE (H h)" (gui/approval_dialogs.py).</extracomment>
            <translation>
                <numerusform>%n entry</numerusform>
                <numerusform>%n entries</numerusform>
            </translation>
        </message>
        <message>
            <source>No entries match the filters.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No entries %1.

Start a timer above, or add an entry you forgot (Ctrl+N).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Hours per day&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Hours per week&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>EntryDialog</name>
        <message>
            <source>Amend entry #{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add entry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The current version stays in the signed ledger, with your reason.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record time you worked without the timer (a manual entry).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Amend</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Comma separated</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Required: why this changes (kept in the ledger)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Project:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Client:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Task:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>T&amp;ags:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Note:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;When:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The timer is still running; stop it to change the end</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name the project.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The end must be after the start.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change something to amend the entry.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give a reason to save this change.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>IdleFeature</name>
        <message>
            <source>Time away {0}–{1} taken out of the entry (reason: idle)</source>
            <extracomment>What the service recorded (an IdleOutcome), after an answer.</extracomment>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>IdlePrompt</name>
        <message>
            <source>Welcome back</source>
            <extracomment>The user came back after an absence longer than the threshold (an Away). The user's answer: "keep", "discard" or "stop".</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time away</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the computer was asleep</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>no keyboard or mouse input</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From {0} ({1}) while the timer for “{2}” was running. What should that time be?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Whatever you choose is kept in the signed ledger: discarding amends the entry with the reason “idle”; the original stays visible.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Keep it: I was working</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Discard the time away</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Stop the timer at {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Count the time away as work (a call, a whiteboard)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cut the entry at {0} and carry on timing from {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>End the entry at {0}; no timer afterwards</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You were away for {0}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>IdleSettings</name>
        <message>
            <source>Time away</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Idle source</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ask after this many minutes away</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>With a timer running, ask about time away longer than this</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only the operating system's idle time is read — never keystrokes, clicks or what is on the screen.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Source:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Ask after:</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>No timestamp authority</source>
            <extracomment>The file name ending of hour-proof bundles (and its MIME type in the .desktop file). The user closed the window (the app quits when there is no tray). A history dialog was opened (carries it). The user asked to verify this bundle (menu, drop); main.py opens a verify window.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing is sent anywhere; add a TSA to anchor to trusted time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Overlapping entry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Verify an hour proof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hour proofs (*.hproof *.pdf);;All files (*)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PassphraseDialog</name>
        <message>
            <source>Unlock the signing key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;This needs your signing key, which is locked.&lt;/b&gt;&lt;br&gt;Type its passphrase to go on. Cancel leaves everything as it was: nothing is signed or recorded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Your signing key is protected by a passphrase.&lt;/b&gt;&lt;br&gt;hourproof signs every entry with it. Type the passphrase to start, or Cancel to open hourproof with the key locked (it is asked for when something needs signing).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Passphrase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Keep it in the OS keyring</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keep the passphrase in the OS keyring</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unlock</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Wrong passphrase. Try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The passphrase kept in the OS keyring no longer opens the key (was it changed on the command line?). Type the current one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checking the passphrase…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ProjectCombo</name>
        <message>
            <source>Project</source>
            <extracomment>What was typed in "Started" (shown again when the start is refused).</extracomment>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RatesDialog</name>
        <message>
            <source>Clients, projects and rates — hourproof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Clients and projects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Kind</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hourly rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rate amount</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rate currency</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Set rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>C&amp;lear rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rate per hour:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New projects and clients appear when an entry names them. A project's rate beats its client's; entries keep the rate they were recorded with.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ReasonDialog</name>
        <message>
            <source>Remove entry #{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It leaves your reports but stays in the signed ledger, marked removed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Required, e.g. duplicate of #12</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entry:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give a reason to remove the entry.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings — hourproof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start hourproof in the tray when I log in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start at login</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Timestamp authorities (RFC 3161)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Timestamp authorities</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name, e.g. FreeTSA</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New TSA name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New TSA URL</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only checkpoint digests are sent, and only to these servers.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time away (idle)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Idle threshold in minutes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ask about time away after:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Source:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signing key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Key fingerprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Copy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copy the key fingerprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fingerprint:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New passphrase (empty: none)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New passphrase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Repeat it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Repeat the new passphrase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Set &amp;passphrase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The key file is now protected by the new passphrase.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The key file now has no passphrase.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>StartDialog</name>
        <message>
            <source>Start timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Track a project from now, or from a moment ago.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From the project when empty</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Comma separated, e.g. review, meeting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>now, 09:30, yesterday 17:00, -15m or an ISO 8601 time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Project:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Client:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Task:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>T&amp;ags:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Note:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Started:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name the project to track.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The start cannot be in the future.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TimelinePanel</name>
        <message>
            <source>Reading…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} h in {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} ({1} h)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries of {0} already cover {1} h of this {2} h session. Record it as an entry anyway?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept suggestion</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record {0} suggested sessions ({1} h) as entries citing their evidence?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept all shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recorded {0} suggested session(s) as entries</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TimelineView</name>
        <message>
            <source>Timeline</source>
            <extracomment>A suggestion id the user clicked (or pressed Enter on) to accept. (entry id, new start or None, new end or None) after an edge was dragged. An entry id activated with a double click or Enter (open it). The visible hours changed (zoom or scroll): (first hour, hours shown). The selected item changed: (kind, key), or ("", "") for none.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries, suggested sessions and evidence by day. Left and Right select, Enter accepts a suggestion or opens an entry, plus and minus zoom.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entry #{0}: {1}, {2} ({3} h). Drag an edge to change it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggested session: {0}, {1} ({2} h). Click to record it as an entry citing its evidence.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Commit to {0} at {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Away (idle) {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>File activity in {0}, {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} h</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TimerBar</name>
        <message>
            <source>Start timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project to start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Elapsed time</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TrayController</name>
        <message>
            <source>hourproof — no timer running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing anchored to trusted time for over 24 h</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Anchoring failed; it will retry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signing key locked</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Evidence paused</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add past entry…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Resume evidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pause evidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open hourproof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Verify a proof…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Anchoring…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Anchor now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Quit</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>VerifyWindow</name>
        <message>
            <source>Verify %1 — hourproof</source>
            <extracomment>``submit(what, fn(app), on_done, on_error)``: how the window runs the verification. An approval or contest was signed (``signed``) or refused (``sign_error``).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checking %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Verdict</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signer's key fingerprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Copy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copy the fingerprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Fingerprint:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Result</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Step</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Detail</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Amount</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Day (UTC)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checks</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Totals</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Approve…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Approve these hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign an approval of these hours with your own key, to email back</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>C&amp;ontest…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contest these hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign that you contest the bundle or some entries, with the reason</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✘ Cannot check this file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✘ NOT verified</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The signer's key is the one you pinned.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Compare this fingerprint with the one in your contract. It is remembered: the next bundle from this signer must extend the same log.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checking the bundle again and signing…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dialogs</name>
        <message numerus="yes">
            <source>… and %n more</source>
            <translation>
                <numerusform>… and %n more</numerusform>
                <numerusform>… and %n more</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The new entry overlaps %n recorded entr(y|ies):</source>
            <translation>
                <numerusform>The new entry overlaps %n recorded entry:</numerusform>
                <numerusform>The new entry overlaps %n recorded entries:</numerusform>
            </translation>
        </message>
        <message>
            <source>Both would count in the totals. Save it anyway?</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>feature</name>
        <message>
            <source>Time &amp;away…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Idle detection: which source works, and the threshold</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>panel</name>
        <message>
            <source>Timeline</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>unlocker</name>
        <message>
            <source>🔒 Signing key locked</source>
            <extracomment>True while the key is locked (status bar, tray). A dialog was opened (tests, and the tray to show the window).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Browsing and verifying work; the passphrase is asked for when you sign</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Unlock…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unlock the signing key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unlock signing key…</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
