// The on-screen keyboard inside the kiosk window (kiosk/ui/input/keyboard.py hosts it in a
// QQuickWidget): Qt Virtual Keyboard's InputPanel, limited to 简体中文 (Pinyin) and English,
// with the kiosk's own, larger word-candidate row and a space-bar label that never fades.
import QtQuick
import QtQuick.Shapes
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import QtQuick.VirtualKeyboard.Styles

Item {
    id: root
    // Set from Python (OnScreenKeyboard): the keyboard's locale, the text size of the
    // candidate row, and where the keyboard may keep its (disabled) user dictionary.
    property string locale: "zh_CN"
    property int candidatePixelSize: 32
    property bool candidateRow: true  // Pinyin needs it; letters (the search box) do not
    property string userDataPath: ""
    readonly property alias panel: loader.item
    readonly property string preedit: InputContext.preeditText
    readonly property int inputMode: InputContext.inputEngine.inputMode
    readonly property var activeLocales: VirtualKeyboardSettings.activeLocales
    readonly property string keyboardLocale: InputContext.locale
    readonly property bool uppercase: InputContext.uppercase  // the letters are shown in capitals
    implicitHeight: loader.item ? loader.item.implicitHeight : 0

    // The word-candidate row: the default draws its text at 44 × scaleHint px, about 19 px
    // on a 1100 px wide keyboard — too small for a kiosk. Same API (SelectionListItem), our
    // sizes and colours.
    Component {
        id: candidate
        SelectionListItem {
            id: item
            objectName: "candidate"
            readonly property string candidateText: display
            width: Math.round(label.width + root.candidatePixelSize * 1.2)
            Text {
                id: label
                anchors.centerIn: parent
                text: display
                color: "#ffffff"
                font.pixelSize: root.candidatePixelSize
            }
            Rectangle {
                width: 2
                height: root.candidatePixelSize
                color: "#90a4ae"
                anchors.verticalCenter: parent.verticalCenter
                anchors.right: parent.left
            }
        }
    }

    // The space bar names the keyboard's language; the default style fades that label to
    // half opacity a second after each switch (3.1:1 on its key). Ours stays at full strength.
    Component {
        id: spaceKey
        KeyPanel {
            id: panel
            Rectangle {
                anchors.fill: parent
                anchors.margins: 4
                radius: 5
                color: panel.control && panel.control.pressed ? "#4f5b62" : "#000a12"
                Text {
                    anchors.centerIn: parent
                    text: Qt.locale(InputContext.locale).nativeLanguageName
                    color: "#ffffff"
                    font.pixelSize: root.candidatePixelSize
                }
            }
        }
    }

    // Shift: the default style turns its arrow green when on (3.3:1 on its key). Ours is a
    // white arrow on the dark key when off, and a dark arrow on a white key when on (a
    // bar under it for caps lock): the state reads at a glance and at full contrast.
    Component {
        id: shiftKey
        KeyPanel {
            id: shiftPanel
            readonly property bool on: InputContext.shiftActive || InputContext.capsLockActive
            Rectangle {
                id: shiftFace
                anchors.fill: parent
                anchors.margins: 4
                radius: 5
                color: shiftPanel.on ? "#ffffff" : "#000a12"
                Shape {
                    id: arrow
                    anchors.centerIn: parent
                    width: Math.round(Math.min(shiftFace.width, shiftFace.height) * 0.45)
                    height: width
                    // A key the field does not use (a search box takes no capitals): dimmed.
                    opacity: shiftPanel.control && !shiftPanel.control.enabled ? 0.45 : 1
                    readonly property color ink: shiftPanel.on ? "#000a12" : "#ffffff"
                    readonly property real foot: InputContext.capsLockActive ? 0.7 : 0.9
                    ShapePath {
                        fillColor: arrow.ink
                        strokeColor: "transparent"
                        startX: arrow.width / 2; startY: 0
                        PathLine { x: arrow.width; y: arrow.height * 0.5 }
                        PathLine { x: arrow.width * 0.72; y: arrow.height * 0.5 }
                        PathLine { x: arrow.width * 0.72; y: arrow.height * arrow.foot }
                        PathLine { x: arrow.width * 0.28; y: arrow.height * arrow.foot }
                        PathLine { x: arrow.width * 0.28; y: arrow.height * 0.5 }
                        PathLine { x: 0; y: arrow.height * 0.5 }
                        PathLine { x: arrow.width / 2; y: 0 }
                    }
                    Rectangle {  // caps lock: a bar under the arrow
                        visible: InputContext.capsLockActive
                        x: arrow.width * 0.28
                        y: arrow.height * 0.8
                        width: arrow.width * 0.44
                        height: arrow.height * 0.1
                        color: arrow.ink
                    }
                }
            }
        }
    }

    // Workaround for a Qt Quick leak (Qt 6.11.3; no QTBUG found): a State that its `when`
    // applies and reverts keeps about 90 bytes for good each time (a State of two
    // PropertyChanges toggled 200,000 times: +18 MB). The default style shows a pressed key
    // with such a State: applied at the press, reverted at the release. The keys tapped
    // most (letters and digits, ⌫, &123) are drawn here as the default style draws them
    // (its own sizes and colours), the pressed look bound instead. (Enter, 中/英 and the
    // globe keep the default's.) A key Qt disables — Pinyin's syllable mark ' before any
    // Pinyin is typed — is not drawn: the default draws it as a blank key, which does
    // nothing when a visitor taps it.
    component KeyFace: Rectangle {
        id: face
        objectName: "keyFace"
        required property Item control
        readonly property var look: root.panel ? root.panel.keyboard.style : null
        readonly property bool pressed: control !== null && control.pressed
        readonly property bool disabled: control !== null && !control.enabled
        property real pressedOpacity: 0.75
        radius: 5
        color: !look ? "#000a12"
            : control && control.highlighted ? look.highlightedKeyBackgroundColor
            : look.normalKeyBackgroundColor
        anchors.fill: parent
        anchors.margins: look ? look.keyBackgroundMargin : 0
        visible: !disabled
        opacity: pressed ? pressedOpacity : 1
    }

    Component {
        id: letterKey
        KeyPanel {
            id: letterPanel
            KeyFace {
                id: letterFace
                control: letterPanel.control
                readonly property bool gear: control !== null && control.smallText === "\u2699"
                    && control.smallTextVisible
                Text {
                    text: letterFace.control ? letterFace.control.smallText : ""
                    visible: letterFace.control !== null && letterFace.control.smallTextVisible
                        && !letterFace.gear
                    color: letterFace.look ? letterFace.look.keySmallTextColor : "#ffffff"
                    anchors.right: parent.right
                    anchors.top: parent.top
                    anchors.margins: letterFace.look ? letterFace.look.keyContentMargin / 3 : 0
                    font {
                        family: letterFace.look ? letterFace.look.fontFamily : "Arial"
                        weight: Font.Normal
                        pixelSize: 60 * (letterFace.look ? letterFace.look.scaleHint : 1)
                        capitalization: letterFace.control && letterFace.control.uppercased
                            ? Font.AllUppercase : Font.MixedCase
                    }
                }
                Loader {
                    anchors.right: parent.right
                    anchors.top: parent.top
                    anchors.margins: letterFace.look ? letterFace.look.keyContentMargin / 3 : 0
                    sourceComponent: letterFace.gear && letterFace.look
                        ? letterFace.look.component_settingsIcon : null
                }
                // The letter: the default's size (60 × scaleHint) is under a third of the
                // key's height — 19 px where the keyboard must be short (1366×768, 大字).
                // Ours is the theme's keyboard text size (the candidates', larger in 大字),
                // as far as 70 % of the key's height allows, and centred.
                Text {
                    objectName: "keyLetter"
                    text: letterFace.control ? letterFace.control.displayText : ""
                    color: letterFace.look ? letterFace.look.keyTextColor : "#ffffff"
                    opacity: letterFace.pressed ? 0.5 : 1
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    anchors.fill: parent
                    font {
                        family: letterFace.look ? letterFace.look.fontFamily : "Arial"
                        weight: Font.Normal
                        pixelSize: Math.max(60 * (letterFace.look ? letterFace.look.scaleHint : 1),
                            Math.min(root.candidatePixelSize, Math.round(letterFace.height * 0.7)))
                        capitalization: letterFace.control && letterFace.control.uppercased
                            ? Font.AllUppercase : Font.MixedCase
                    }
                }
            }
        }
    }

    Component {
        id: backspaceKey
        KeyPanel {
            id: backspacePanel
            KeyFace {
                id: backspaceFace
                control: backspacePanel.control
                pressedOpacity: 0.8
                Image {
                    anchors.centerIn: parent
                    opacity: backspaceFace.pressed ? 0.6 : 1
                    sourceSize.height: 88 * (backspaceFace.look ? backspaceFace.look.keyIconScale : 1)
                    smooth: false
                    source: backspaceFace.look
                        ? backspaceFace.look.resourcePrefix + "images/backspace-fff.svg" : ""
                }
            }
        }
    }

    Component {
        id: symbolKey
        KeyPanel {
            id: symbolPanel
            KeyFace {
                id: symbolFace
                control: symbolPanel.control
                pressedOpacity: 0.8
                Text {
                    text: symbolFace.control ? symbolFace.control.displayText : ""
                    color: symbolFace.look ? symbolFace.look.keyTextColor : "#ffffff"
                    opacity: symbolFace.pressed ? 0.6 : 1
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    anchors.fill: parent
                    anchors.margins: symbolFace.look ? symbolFace.look.keyContentMargin : 0
                    font {
                        family: symbolFace.look ? symbolFace.look.fontFamily : "Arial"
                        weight: Font.Normal
                        pixelSize: 60 * (symbolFace.look ? symbolFace.look.scaleHint : 1)
                        capitalization: Font.AllUppercase
                    }
                }
            }
        }
    }

    function restyle() {
        var style = loader.item ? loader.item.keyboard.style : null
        if (!style)
            return
        style.selectionListDelegate = candidate
        style.selectionListHeight = Math.round(root.candidatePixelSize * 2.2)
        style.spaceKeyPanel = spaceKey
        style.shiftKeyPanel = shiftKey
        style.keyPanel = letterKey
        style.backspaceKeyPanel = backspaceKey
        style.symbolKeyPanel = symbolKey
    }

    // Unfinished Pinyin becomes the letters typed, never a guessed candidate: called before
    // the focus moves away from a field (a tap elsewhere, 下一项, a screen change).
    // The letters typed so far go into the field as they are; the input method starts over.
    function settle() {
        var letters = InputContext.preeditText.replace(/ /g, "")
        if (!letters.length)
            return
        if (InputContext.inputEngine.inputMethod)
            InputContext.inputEngine.inputMethod.reset()
        InputContext.commit(letters)
    }

    function discard() {
        if (InputContext.inputEngine.inputMethod)
            InputContext.inputEngine.inputMethod.reset()
        InputContext.clear()
    }

    onLocaleChanged: VirtualKeyboardSettings.locale = root.locale
    onCandidateRowChanged: VirtualKeyboardSettings.wordCandidateList.alwaysVisible = root.candidateRow
    onCandidatePixelSizeChanged: restyle()

    Loader {
        id: loader
        active: false
        width: root.width
        anchors.bottom: parent.bottom
        sourceComponent: InputPanel {
            width: root.width
            // Two languages: the globe switches between them at once, no list to choose from.
            externalLanguageSwitchEnabled: true
            onExternalLanguageSwitch: function(localeList, currentIndex) {
                VirtualKeyboardSettings.locale = localeList[(currentIndex + 1) % localeList.length]
            }
            // No sliding rows or fading candidates: what a key shows is there at once.
            keyboard.noAnimations: true
            Connections {
                target: keyboard
                function onStyleChanged() { root.restyle() }
            }
            Component.onCompleted: {
                root.restyle()
                keyboard.keyboardInputArea.touchPoints.push(mousePoint)  // see mousePoint below
            }
        }
    }

    // Workaround for a Qt Quick leak (seen in Qt 6.11.3, the code is so since Qt 5; no QTBUG
    // found): the MultiPointTouchArea under the keys makes a TouchPoint for every mouse
    // press and never deletes it — its mouseReleaseEvent takes the point off the list that
    // would have (about 0.5 kB a tap, for good: tests/ui/test_input_memory.py). Given one of
    // ours, it reuses that one instead. A finger's touches were never affected.
    TouchPoint { id: mousePoint }

    Component.onCompleted: {
        if (root.userDataPath.length)
            VirtualKeyboardSettings.userDataPath = root.userDataPath
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = root.locale
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = root.candidateRow
        // The dock's 收起 puts the keyboard away; a hide key of its own would be a second way
        // that leaves the dock open over nothing.
        VirtualKeyboardSettings.visibleFunctionKeys = QtVirtualKeyboard.KeyboardFunctionKeys.Language
        loader.active = true  // the panel (and Pinyin's dictionary) after the settings above
    }
}
