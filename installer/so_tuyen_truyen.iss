; Installer of "Sổ tuyên truyền chuyển đổi số" for Windows (Inno Setup 6.3 or newer; 7.x works too).
;
; Per-user: no administrator rights are asked for, the app goes to
; %LOCALAPPDATA%\Programs\so-tuyen-truyen-cds, a Start-menu shortcut always and a desktop
; shortcut unless the officer unticks it.
;
; Build it from the repository root, after `pyinstaller --noconfirm build.spec` has made
; dist\so-tuyen-truyen-cds\ (the workflow .github/workflows/windows.yml does exactly this):
;   iscc /DAppVersion=0.1.0 installer\so_tuyen_truyen.iss
; The installer is written to dist\installer\CaiDat_SoTuyenTruyenCDS_<version>.exe.
;
; This file is UTF-8 with a byte order mark. Inno Setup 6.3+ also reads UTF-8 without one
; (help topic "Unicode Inno Setup"); the BOM makes any 6.x compiler read it as UTF-8.
; tests/test_packaging_files.py keeps the names below equal to core/__init__.py.

#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible, UTF-8 files without BOM)
#endif

; Equal to core.APP_NAME: the name the officer sees (wizard, shortcuts, Apps list).
#define AppName "Sổ tuyên truyền chuyển đổi số"
; Equal to core.APP_ID: the PyInstaller folder and executable, the install folder.
#define AppId "so-tuyen-truyen-cds"
#define AppExeName AppId + ".exe"
#define AppComment "Ghi sổ, tìm kiếm, thống kê và báo cáo hoạt động tuyên truyền chuyển đổi số"

; The version comes from the command line: iscc /DAppVersion=<core.__version__> ...
#ifndef AppVersion
  #define AppVersion "0.0.0-dev"
  #pragma warning "AppVersion not given (iscc /DAppVersion=...): using 0.0.0-dev"
#endif

[Setup]
; A fixed GUID: never change it, or an update would be installed beside the old version
; instead of over it (AppId names the uninstall registry key).
AppId={{EA427260-F493-45E4-96EB-A64AD67BC54C}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExeName}
VersionInfoDescription=Chương trình cài đặt {#AppName}
; Paths below are relative to the repository root.
SourceDir=..
OutputDir=dist\installer
OutputBaseFilename=CaiDat_SoTuyenTruyenCDS_{#AppVersion}
SetupIconFile=resources\icons\app.ico
; Non administrative install mode, always: Setup never asks for elevation, and the "auto"
; constants map to the current user's folders ({autopf} = {userpf} =
; %LOCALAPPDATA%\Programs, {autoprograms} = the user's Start menu, {autodesktop} = the
; user's desktop). No PrivilegesRequiredOverridesAllowed: the officer is not asked.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppId}
DisableDirPage=yes
DisableProgramGroupPage=yes
; The build is 64-bit Python; Qt 6 needs Windows 10 1809 or later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
WizardStyle=modern
Compression=lzma2
SolidCompression=yes

[Languages]
; The wizard and the uninstaller speak Vietnamese only. Vietnamese.isl is the unofficial
; translation from the Inno Setup repository (Files/Languages/Unofficial/Vietnamese.isl,
; for Inno Setup 6.5.0+), copied unchanged; see docs/windows-build.md.
Name: "vi"; MessagesFile: "installer\Vietnamese.isl"

[Messages]
ConfirmUninstall=Bạn có chắc chắn muốn gỡ bỏ %1 khỏi máy tính không?%n%nDữ liệu của sổ (các hoạt động, minh chứng, báo cáo và bản sao lưu) được giữ nguyên, không bị xóa.
UninstalledAll=%1 đã được gỡ bỏ khỏi máy tính.%n%nDữ liệu của sổ vẫn được giữ nguyên trong thư mục AppData\Roaming\so-tuyen-truyen-cds của tài khoản Windows này; khi cài lại, phần mềm dùng tiếp dữ liệu đó.

[Tasks]
; Ticked by default (no "unchecked" flag); the officer may untick it.
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; On an update, the previous version's bundled runtime goes first, so that no stale
; library outlives it. Only ever inside {app}.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole one-folder PyInstaller build, with every subfolder.
Source: "dist\{#AppId}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "{#AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "{#AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

; The officer's data is never deleted. It lives outside {app}, in the per-user data folder
; of core/paths.py (platformdirs, roaming: %APPDATA%\so-tuyen-truyen-cds, or the folder in
; SO_TUYEN_TRUYEN_DATA, or wherever the officer opened a database). The uninstaller removes
; only what Setup installed ([Files], [Icons], the uninstall entry) and {app} if it is then
; empty; there is deliberately no [UninstallDelete] section and no [Code] here.
